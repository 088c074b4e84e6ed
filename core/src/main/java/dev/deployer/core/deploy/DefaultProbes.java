package dev.deployer.core.deploy;

import dev.deployer.core.monitor.Probe;
import dev.deployer.core.monitor.Probes;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The probes of every monitor type, over the clusters of a run. */
public final class DefaultProbes implements ProbeFactory {
  private final Map<String, String> environment;
  private final Path planDirectory;
  private final KubernetesCluster cluster;

  /**
   * @param planDirectory where relative files of monitors (an Elasticsearch {@code query_file}) are
   *     found
   */
  public DefaultProbes(
      Map<String, String> environment, Path planDirectory, KubernetesCluster cluster) {
    this.environment = Map.copyOf(environment);
    this.planDirectory = planDirectory;
    this.cluster = cluster;
  }

  @Override
  public Probe create(Monitor monitor, List<Release> releases) {
    return Probes.create(monitor, releases, environment, planDirectory, cluster::client);
  }
}
