package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.testcluster.HelmCli;
import dev.deployer.core.kube.testcluster.TestCluster;
import dev.deployer.core.plan.WaitStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Helm's own CLIs, 3 and 4, as the judge: what deployer's engine writes reads correctly in {@code
 * helm history}, {@code status}, {@code get values} and {@code get manifest}, and {@code helm
 * upgrade}/{@code rollback} continue it; a release {@code helm} 3 installed (a Helm 3 record) is
 * upgraded, rolled back and uninstalled by the engine without loss.
 */
// The first run on a machine builds both helm CLIs from Go modules.
@Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
class HelmCompatibilityIT {
  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  private final HelmEngine engine = NativeHelmEngine.shared();
  @TempDir Path dir;
  private Path chart;
  private String namespace;
  private PlanFiles files;

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
    chart = files.chart("app");
    files.write(
        "app/templates/cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: {{ .Release.Name }}}
        data: {level: {{ .Values.level | quote }}}
        """);
    files.write("app/values.yaml", "level: info\n");
    namespace = cluster.namespace("compat");
  }

  private ReleaseRef ref(String name) {
    return new ReleaseRef(cluster.kubeconfigContents(), namespace, name);
  }

  private ReleaseRevision upgrade(String name, String level) {
    return engine.upgrade(
        new UpgradeRequest(
            ref(name),
            chart,
            List.of(files.write(name + "-" + level + ".yml", "level: " + level + "\n")),
            UpgradeRequest.UpgradeOptions.of(
                dev.deployer.core.plan.Release.Deployment.DEFAULTS.withWaitStrategy(
                    WaitStrategy.WATCHER))),
        Operation.NONE);
  }

  private HelmCli.Result helm(HelmCli cli, String... args) {
    HelmCli.Result r = cli.run(cluster.kubeconfigPath(), args);
    assertThat(r.exitCode()).as("helm %s: %s", String.join(" ", args), r.output()).isZero();
    return r;
  }

  private String level(String name) {
    return cluster
        .client()
        .configMaps()
        .inNamespace(namespace)
        .withName(name)
        .get()
        .getData()
        .get("level");
  }

  @Test
  void helm3And4ReadAndContinueWhatTheEngineWrote() {
    upgrade("web", "debug");
    upgrade("web", "warn");
    engine.rollback(RollbackRequest.to(ref("web"), 1, Duration.ofMinutes(1)), Operation.NONE);

    for (HelmCli cli : List.of(HelmCli.v3(), HelmCli.v4())) {
      assertThat(helm(cli, "history", "web", "-n", namespace).stdout())
          .containsPattern("1\\s+.*superseded\\s+app-0.1.0\\s+.*Install complete")
          .containsPattern("2\\s+.*superseded\\s+app-0.1.0\\s+.*Upgrade complete")
          .containsPattern("3\\s+.*deployed\\s+app-0.1.0\\s+.*Rollback to 1");
      assertThat(helm(cli, "status", "web", "-n", namespace).stdout())
          .contains("STATUS: deployed", "REVISION: 3");
      assertThat(helm(cli, "get", "values", "web", "-n", namespace).stdout())
          .contains("level: debug");
      assertThat(helm(cli, "get", "manifest", "web", "-n", namespace).stdout())
          .contains("kind: ConfigMap", "name: web", "level: \"debug\"");
    }

    helm(HelmCli.v4(), "upgrade", "web", chart.toString(), "-n", namespace, "--set", "level=error");
    assertThat(level("web")).isEqualTo("error");
    helm(HelmCli.v3(), "rollback", "web", "3", "-n", namespace);
    assertThat(level("web")).isEqualTo("debug");
    assertThat(engine.history(ref("web")))
        .extracting(r -> r.revision() + " " + r.status())
        .containsExactly(
            "1 superseded", "2 superseded", "3 superseded", "4 superseded", "5 deployed");
  }

  @Test
  void theEngineContinuesAReleaseHelm3Installed() {
    helm(HelmCli.v3(), "install", "old", chart.toString(), "-n", namespace, "--set", "level=v3");
    assertThat(engine.history(ref("old")))
        .extracting(r -> r.revision() + " " + r.status() + " " + r.description())
        .containsExactly("1 deployed Install complete");

    upgrade("old", "v4");
    assertThat(level("old")).isEqualTo("v4");
    engine.rollback(RollbackRequest.to(ref("old"), 1, Duration.ofMinutes(1)), Operation.NONE);
    assertThat(level("old")).isEqualTo("v3");
    assertThat(helm(HelmCli.v3(), "history", "old", "-n", namespace).stdout())
        .containsPattern("3\\s+.*deployed\\s+app-0.1.0\\s+.*Rollback to 1");

    assertThat(
            engine.uninstall(
                UninstallRequest.of(ref("old"), Duration.ofMinutes(1)), Operation.NONE))
        .isTrue();
    assertThat(helm(HelmCli.v3(), "list", "-n", namespace, "-q").stdout()).doesNotContain("old");
    assertThat(cluster.client().configMaps().inNamespace(namespace).withName("old").get()).isNull();
  }
}
