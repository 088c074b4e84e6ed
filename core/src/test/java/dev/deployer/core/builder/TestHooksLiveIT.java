package dev.deployer.core.builder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.deploy.UpRequest;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.kube.testcluster.TestCluster;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm keeps a release's test hooks with it; a plan directory leaves them out, and so do its
 * comparisons with the cluster (on the test control plane).
 */
@Timeout(180)
class TestHooksLiveIT {
  @RegisterExtension static final TestCluster testCluster = TestCluster.shared();

  @TempDir Path dir;
  PlanFiles files;
  Map<String, String> env;
  KubernetesCluster cluster;

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
    env =
        new TreeMap<>(
            Map.of(
                "PATH",
                System.getenv("PATH"),
                "KUBECONFIG",
                testCluster.kubeconfigPath().toString()));
    cluster = KubernetesCluster.create(env, Optional.empty());
    files.chart("c");
    files.write(
        "c/templates/all.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-settings
        data:
          level: info
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}
          annotations:
            helm.sh/hook: test
        spec:
          restartPolicy: Never
          containers: [{name: probe, image: "registry.example/curl:8.5.0"}]
        """);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  BuildResult build(String namespace, BuildRequest.DiffMode mode) {
    Path plan =
        files.write(
            "deployer.yml",
            "releases: [{name: app, namespace: %s, create_namespace: true, chart: ./c}]\n"
                .formatted(namespace));
    Path planDir = dir.resolve(".deployer");
    return LivePlanBuilders.against(cluster, env)
        .build(new BuildRequest(plan, planDir, Selection.ALL, 1, mode, false), EventListener.NONE);
  }

  @Test
  void aDeployedReleasesTestHooksAreNoChangeInLiveDiffs() {
    String ns = testCluster.namespace("tests");
    Path planDir = build(ns, BuildRequest.DiffMode.NONE).planDir();
    Deployer deployer = new Deployer(cluster, env);
    var report =
        deployer.up(
            UpRequest.of(planDir, Duration.ofSeconds(5)), EventListener.NONE, new Cancellation());
    assertThat(report.succeeded()).isTrue();
    // Helm stored the test pod with the release: the cluster side has it.
    assertThat(cluster.latest(PlanDirectory.open(planDir).plan().releases().get(0)))
        .hasValueSatisfying(l -> assertThat(l.manifestWithHooks()).contains("app-test-"));

    assertThat(deployer.diffLive(planDir, Selection.ALL, false).hasChanges()).isFalse();
    BuildResult live = build(ns, BuildRequest.DiffMode.LIVE);
    assertThat(live.diff().hasChanges()).isFalse();
    assertThat(deployer.diffLive(planDir, Selection.ALL, false).hasChanges()).isFalse();
  }
}
