package dev.deployer.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.event.EventListener;
import dev.deployer.core.kube.fixture.KubeFixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The deploy scenarios against the kube fixture: fabric8's mock server extended for Helm. */
class DeployerIT extends DeployScenarios {
  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  @Override
  Path kubeconfig() {
    return kube.kubeconfigPath();
  }

  @Override
  KubernetesClient client() {
    return kube.client();
  }

  /** Needs a Deployment the test makes ready when it wants: only the fixture has no controllers. */
  @Test
  void aMonitorStartsBeforeUnrelatedReleasesFinish() throws Exception {
    CountDownLatch probed = new CountDownLatch(1);
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          probed.countDown();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    try {
      Path planDir =
          build(
              """
              monitors:
                - {name: ping, type: http, interval: 100ms, success_threshold: 2, http: {url: 'http://127.0.0.1:%d/'}}
              releases:
                - {name: fast, namespace: early, create_namespace: true, chart: ./ok, monitors: [ping]}
                - {name: slow, namespace: early, create_namespace: true, chart: ./bad, wait: true, timeout: 60s}
              """
                  .formatted(server.getAddress().getPort()));
      CompletableFuture<RunReport> run =
          CompletableFuture.supplyAsync(
              () -> up(planDir, false, false, RollbackScope.RELEASE, EventListener.NONE));
      // The monitor probes while `slow` still waits for its Deployment to become ready.
      assertThat(probed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run).isNotDone();
      // Helm may not have created the Deployment yet: wait for it before making it ready.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (kube.client().apps().deployments().inNamespace("early").withName("slow").get()
          == null) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(50);
      }
      assertThat(run).isNotDone();
      kube.markDeploymentReady("early", "slow");
      RunReport report = run.get(60, TimeUnit.SECONDS);
      assertThat(report.succeeded()).isTrue();
      assertThat(line(report, "slow@early")).isEqualTo("deployed -->1");
      assertThat(report.monitors())
          .extracting(m -> m.monitor() + " " + m.outcome() + " " + m.probes())
          .containsExactly("ping passed 2");
    } finally {
      server.stop(0);
    }
  }

  /** Job status is written by the test: only the fixture has no controllers. */
  @Test
  void waitForJobsWaitsForTheReleasesJobsAndFailsWithTheJobsReason() throws Exception {
    files.chart("job");
    files.write(
        "job/templates/job.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: {{ .Release.Name }}-migrate}
        spec:
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: registry.example/migrate:1}]
        """);
    Path planDir =
        build(
            """
            .o: &o {namespace: jobs, create_namespace: true, chart: ./job, wait_for_jobs: true, timeout: 30s}
            releases:
              - {<<: *o, name: good}
              - {<<: *o, name: broken}
            """);
    CompletableFuture<RunReport> run =
        CompletableFuture.supplyAsync(
            () -> up(planDir, false, false, RollbackScope.RELEASE, EventListener.NONE));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (kube.client().batch().v1().jobs().inNamespace("jobs").withName("good-migrate").get()
            == null
        || kube.client().batch().v1().jobs().inNamespace("jobs").withName("broken-migrate").get()
            == null) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(100);
    }
    assertThat(run).isNotDone();
    kube.completeJob("jobs", "good-migrate");
    kube.failJob("jobs", "broken-migrate", "Job has reached the specified backoff limit");
    RunReport report = run.get(60, TimeUnit.SECONDS);
    assertThat(line(report, "good@jobs")).isEqualTo("deployed -->1");
    assertThat(line(report, "broken@jobs"))
        .startsWith(
            "failed -->1: Job jobs/broken-migrate failed: Job has reached the specified backoff limit");
  }
}
