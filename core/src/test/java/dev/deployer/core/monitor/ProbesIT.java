package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.Clusters;
import dev.deployer.core.kube.fixture.KubeFixture;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Plan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The factory, from monitors and releases read from a plan file. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ProbesIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  @TempDir Path dir;

  private static final String PLAN =
      """
      project: shop
      monitors:
        - name: pods
          type: kubernetes
          kubernetes: {max_restarts: 1, require_ready: true, flap_window: 30s}
        - name: errors
          type: elasticsearch
          elasticsearch:
            url: http://127.0.0.1:9
            index: logs-*
            query: 'level:error'
            username: ops
            password: ${env:ES_PASSWORD}
        - name: latency
          type: http
          http: {url: http://127.0.0.1:9}
      releases:
        - {name: web, namespace: shop, chart: ./charts/web, monitors: [pods, errors]}
      """;

  @Test
  void makesAKubernetesProbeWatchingThePodsOfTheReleases() throws Exception {
    kube.createNamespace("shop");
    kube.createReleasePods("shop", "web", 2);
    Plan plan = load();

    try (Clusters clusters = new Clusters(List.of(kube.kubeconfigPath()))) {
      Probe probe =
          Probes.create(
              monitor(plan, "pods"),
              plan.releases(),
              Map.of(),
              dir,
              r -> clusters.client(r.context()));

      assertThat(probe).isInstanceOf(PodHealthProbe.class);
      assertThat(probe.probe())
          .isEqualTo(
              ProbeResult.success(
                  "2 pods of web@shop: 2 ready, most restarts of a container since the monitor"
                      + " started 0 (max 1)"));
    }
  }

  @Test
  void makesAnElasticsearchProbeWithCredentialsFromTheEnvironment() throws Exception {
    Plan plan = load();

    try (Clusters clusters = new Clusters(List.of(kube.kubeconfigPath()))) {
      Monitor errors = monitor(plan, "errors");
      Probe probe =
          Probes.create(
              errors,
              plan.releases(),
              Map.of("ES_PASSWORD", "x"),
              dir,
              r -> clusters.client(r.context()));

      assertThat(probe).isInstanceOf(ElasticsearchCountProbe.class);
      ProbeResult unreachable = probe.probe();
      assertThat(unreachable.error()).isTrue();
      assertThat(unreachable.detail()).startsWith("cannot connect to http://127.0.0.1:9/: ");
      assertThatThrownBy(
              () ->
                  Probes.create(
                      errors, plan.releases(), Map.of(), dir, r -> clusters.client(r.context())))
          .isInstanceOf(ProbeException.class)
          .hasMessage(
              "monitor \"errors\": elasticsearch.password: environment variable ES_PASSWORD is not set");
    }
  }

  private Plan load() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("charts/web");
    return files.load(PLAN).plan();
  }

  private static Monitor monitor(Plan plan, String name) {
    return plan.monitors().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }
}
