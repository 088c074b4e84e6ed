package dev.deployer.core.monitor;

import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Makes the probe of a monitor of any type, from its settings in the plan. */
public final class Probes {
  private Probes() {}

  /**
   * The probe of a monitor, its calls bounded by the monitor's {@code iteration_timeout}. Call it
   * when the monitor starts: a Sentry probe counts events from that moment, a Kubernetes probe
   * counts restarts from its first probe.
   *
   * @param releases the releases that reference the monitor (whose pods a Kubernetes probe watches)
   * @param environment where {@code ${env:NAME}} in the settings are looked up
   * @param baseDirectory where a relative Elasticsearch {@code query_file} is found
   * @param clients the Kubernetes client of each release's cluster
   * @throws ProbeException naming the monitor and property when the settings cannot work
   */
  public static Probe create(
      Monitor monitor,
      List<Release> releases,
      Map<String, String> environment,
      Path baseDirectory,
      Function<Release, KubernetesClient> clients) {
    try {
      return of(
          monitor.probe(),
          -1,
          monitor.iterationTimeout(),
          Instant.now(),
          releases,
          environment,
          baseDirectory,
          clients);
    } catch (ProbeException e) {
      throw new ProbeException("monitor \"" + monitor.name() + "\": " + e.getMessage(), e);
    }
  }

  /**
   * The probe of {@code deployer monitor}: one deployed release watched with one query, no monitor
   * block around it. Errors in the settings are not prefixed with a monitor name.
   *
   * @param settings the query's settings; an Elasticsearch or Sentry {@code maxCount} is the number
   *     of results tolerated
   * @param expectedResultCount the Prometheus series tolerated (helm-monitor's {@code
   *     --expected-result-count}); negative: the settings' {@code success_mode} decides
   * @param timeout bounds each call
   * @param since a Sentry probe counts only the events created from then on
   * @param baseDirectory where a relative Elasticsearch {@code query_file} is found
   * @throws ProbeException when the settings cannot work
   */
  public static Probe forWatch(
      Monitor.Probe settings,
      int expectedResultCount,
      Duration timeout,
      Instant since,
      Map<String, String> environment,
      Path baseDirectory) {
    if (settings instanceof Monitor.KubernetesProbe) {
      throw new IllegalArgumentException("a watch has no releases for a kubernetes probe");
    }
    return of(
        settings,
        expectedResultCount,
        timeout,
        since,
        List.of(),
        environment,
        baseDirectory,
        release -> {
          throw new IllegalStateException("no Kubernetes client in a watch");
        });
  }

  private static Probe of(
      Monitor.Probe settings,
      int expectedResultCount,
      Duration timeout,
      Instant since,
      List<Release> releases,
      Map<String, String> environment,
      Path baseDirectory,
      Function<Release, KubernetesClient> clients) {
    if (settings instanceof Monitor.PrometheusProbe p) {
      return new PrometheusQueryProbe(p, environment, timeout, expectedResultCount);
    }
    if (settings instanceof Monitor.HttpProbe h) {
      return new HttpRequestProbe(h, environment, timeout);
    }
    if (settings instanceof Monitor.SentryProbe s) {
      return new SentryEventsProbe(s, environment, timeout, since);
    }
    if (settings instanceof Monitor.ElasticsearchProbe e) {
      return new ElasticsearchCountProbe(e, timeout, baseDirectory, environment);
    }
    Monitor.KubernetesProbe k = (Monitor.KubernetesProbe) settings;
    return new PodHealthProbe(
        k,
        releases.stream()
            .map(r -> new PodHealthProbe.WatchedRelease(clients.apply(r), r.namespace(), r.name()))
            .toList());
  }
}
