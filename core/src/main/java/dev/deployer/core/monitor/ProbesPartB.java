package dev.deployer.core.monitor;

import dev.deployer.core.kube.Clusters;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Makes the probes of the {@code elasticsearch} and {@code kubernetes} monitor types (the other
 * types are made elsewhere; the two factories are meant to become one).
 */
public final class ProbesPartB {

  private ProbesPartB() {}

  /**
   * The probe of an {@code elasticsearch} or {@code kubernetes} monitor.
   *
   * @param planDirectory where a relative {@code query_file} is found
   * @param environment where {@code ${env:NAME}} in credentials is read
   * @param clusters the clients of the releases' kube contexts
   * @param releases the releases that reference the monitor
   * @throws ProbeException when the monitor's settings cannot work
   * @throws IllegalArgumentException for a monitor of another type
   */
  public static Probe create(
      Monitor monitor,
      Path planDirectory,
      Map<String, String> environment,
      Clusters clusters,
      List<Release> releases) {
    Monitor.Probe settings = monitor.probe();
    if (settings instanceof Monitor.ElasticsearchProbe elasticsearch) {
      return new ElasticsearchCountProbe(
          elasticsearch, monitor.iterationTimeout(), planDirectory, environment);
    }
    if (settings instanceof Monitor.KubernetesProbe kubernetes) {
      List<PodHealthProbe.WatchedRelease> watched =
          releases.stream()
              .map(
                  r ->
                      new PodHealthProbe.WatchedRelease(
                          clusters.client(r.context()), r.namespace(), r.name()))
              .toList();
      return new PodHealthProbe(kubernetes, watched);
    }
    throw new IllegalArgumentException(
        "monitor "
            + monitor.name()
            + " is of type "
            + monitor.type().yamlName()
            + ", not made here");
  }
}
