package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.fixture.HelmReleaseRecords;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (Ctrl-C's SIGINT is handled the same way) to a real {@code deployer up} process on the
 * test control plane: no new release starts, deployer cancels the running Helm operation, the
 * report is printed, and nothing is left pending.
 */
@Timeout(180)
class InterruptIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  @TempDir Path dir;

  @Test
  void aSignalStopsNewReleasesAndCancelsTheRunningOne() throws Exception {
    Path jar = Path.of("target", "deployer.jar");
    assertThat(jar).as("the CLI jar, built at package").exists();
    PlanFiles files = new PlanFiles(dir);
    files.chart("slow");
    files.write(
        "slow/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: never-ready-slow}
        spec:
          selector: {matchLabels: {app: slow}}
          template:
            metadata: {labels: {app: slow}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    files.chart("next");
    Path plan =
        files.write(
            "deployer.yml",
            """
            releases:
              - {name: slow, namespace: sig, create_namespace: true, chart: ./slow, wait: true, timeout: 60s}
              - {name: next, namespace: sig, chart: ./next, depends_on: [slow]}
            """);
    Map<String, String> env = new TreeMap<>(System.getenv());
    env.put("KUBECONFIG", kube.kubeconfigPath().toString());
    Path planDir = dir.resolve("plan");
    assertThat(
            Cli.run(env, "build", "-f", plan.toString(), "--plandir", planDir.toString())
                .exitCode())
        .isZero();

    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-jar",
            jar.toString(),
            "up",
            "--plandir",
            planDir.toString(),
            "--no-color");
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    Process up = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // Helm's first record of the install (pending-install) says it is running and waiting.
    while (HelmReleaseRecords.secrets(kube.client(), "sig", "slow").isEmpty()) {
      assertThat(System.nanoTime()).as("Helm started installing slow@sig").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(500);
    up.destroy(); // SIGTERM
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();

    // deployer cancels the engine's operation (the engine has no signal handler of its own); Helm
    // records the release failed, never pending, and deployer starts nothing after it.
    String out = Files.readString(dir.resolve("out.txt"));
    assertThat(up.exitValue()).as(out).isEqualTo(ExitCodes.FAILED);
    assertThat(out)
        .containsPattern("slow@sig\\s+failed\\s+- -> 1 .*context canceled")
        .containsPattern("next@sig\\s+(skipped|cancelled)\\s+- -> -")
        .contains("up: 2 releases, 2 not done");
    assertThat(HelmReleaseRecords.secrets(kube.client(), "sig", "slow"))
        .extracting(r -> r.getMetadata().getLabels().get("status"))
        .containsExactly("failed");
    assertThat(HelmReleaseRecords.secrets(kube.client(), "sig", "next")).isEmpty();
  }
}
