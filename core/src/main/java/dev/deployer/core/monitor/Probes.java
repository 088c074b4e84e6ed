package dev.deployer.core.monitor;

import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
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
      Monitor.Probe settings = monitor.probe();
      if (settings instanceof Monitor.PrometheusProbe p) {
        return new PrometheusQueryProbe(p, environment, monitor.iterationTimeout());
      }
      if (settings instanceof Monitor.HttpProbe h) {
        return new HttpRequestProbe(h, environment, monitor.iterationTimeout());
      }
      if (settings instanceof Monitor.SentryProbe s) {
        return new SentryEventsProbe(s, environment, monitor.iterationTimeout(), Instant.now());
      }
      if (settings instanceof Monitor.ElasticsearchProbe e) {
        return new ElasticsearchCountProbe(
            e, monitor.iterationTimeout(), baseDirectory, environment);
      }
      Monitor.KubernetesProbe k = (Monitor.KubernetesProbe) settings;
      return new PodHealthProbe(
          k,
          releases.stream()
              .map(
                  r -> new PodHealthProbe.WatchedRelease(clients.apply(r), r.namespace(), r.name()))
              .toList());
    } catch (ProbeException e) {
      throw new ProbeException("monitor \"" + monitor.name() + "\": " + e.getMessage(), e);
    }
  }
}
