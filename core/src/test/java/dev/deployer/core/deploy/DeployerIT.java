package dev.deployer.core.deploy;

import static dev.deployer.core.fake.FakeDeploy.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.kube.testcluster.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The deploy scenarios against the test control plane: a real kube-apiserver with the controllers a
 * deploy needs and simulated nodes (see {@code testcluster/README.md}).
 */
class DeployerIT extends DeployScenarios {
  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  @Override
  Path kubeconfig() {
    return cluster.kubeconfigPath();
  }

  @Override
  KubernetesClient client() {
    return cluster.client();
  }

  /** A monitor probes while an unrelated release is still waiting for its Deployment. */
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
                - {name: slow, namespace: early, create_namespace: true, chart: ./bad, wait: true, timeout: 20s}
              """
                  .formatted(server.getAddress().getPort()));
      CompletableFuture<RunReport> run =
          CompletableFuture.supplyAsync(
              () -> up(planDir, false, false, RollbackScope.RELEASE, EventListener.NONE));
      // The monitor probes while `slow` still waits for a Deployment that never becomes ready.
      assertThat(probed.await(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run).isNotDone();
      RunReport report = run.get(90, TimeUnit.SECONDS);
      assertThat(line(report, "fast@early")).isEqualTo("deployed -->1");
      assertThat(line(report, "slow@early")).startsWith("failed -->1: ");
      assertThat(report.monitors())
          .extracting(m -> m.monitor() + " " + m.outcome() + " " + m.probes())
          .containsExactly("ping passed 2");
    } finally {
      server.stop(0);
    }
  }

  /**
   * Helm waits for the release's Jobs; a Job that fails fails its release with the Job's reason.
   */
  @Test
  void theApiServersWarningsReachTheRunAsWarningsNotAsLinesOnStandardError() {
    // A served version marked deprecated: the API server answers every request for it with a
    // Warning header, which client-go would otherwise print to standard error itself.
    String group = "warn" + Long.toHexString(System.nanoTime()) + ".example.com";
    client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            new io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("gadgets." + group)
                .endMetadata()
                .withNewSpec()
                .withGroup(group)
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Gadget")
                .withPlural("gadgets")
                .withSingular("gadget")
                .withListKind("GadgetList")
                .endNames()
                .addNewVersion()
                .withName("v1alpha1")
                .withServed(true)
                .withStorage(true)
                .withDeprecated(true)
                .withDeprecationWarning(group + "/v1alpha1 Gadget is going away; use v1")
                .withNewSchema()
                .withNewOpenAPIV3Schema()
                .withType("object")
                .withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema()
                .endSchema()
                .endVersion()
                .endSpec()
                .build())
        .create();
    client()
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .withName("gadgets." + group)
        .waitUntilCondition(
            c ->
                c.getStatus() != null
                    && c.getStatus().getConditions().stream()
                        .anyMatch(
                            x -> x.getType().equals("Established") && x.getStatus().equals("True")),
            30,
            TimeUnit.SECONDS);
    files.chart("gadget");
    files.write(
        "gadget/templates/gadget.yaml",
        "apiVersion: "
            + group
            + "/v1alpha1\nkind: Gadget\nmetadata: {name: one}\nspec: {size: 1}\n");
    Path planDir =
        build(
            "releases:\n  - {name: gadget, namespace: warned, create_namespace: true, chart: ./gadget}\n");
    java.util.List<dev.deployer.core.event.Event> events =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    RunReport report = up(planDir, false, false, RollbackScope.RELEASE, events::add);

    assertThat(line(report, "gadget@warned")).isEqualTo("deployed -->1");
    assertThat(events)
        .filteredOn(dev.deployer.core.event.Event.Warning.class::isInstance)
        .map(e -> ((dev.deployer.core.event.Event.Warning) e).problem().message())
        .contains("the API server warns: " + group + "/v1alpha1 Gadget is going away; use v1");
  }

  @Test
  void waitForJobsWaitsForTheReleasesJobsAndFailsWithTheJobsReason() {
    files.chart("job");
    files.write(
        "job/templates/job.yaml",
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: {{ .Values.prefix | default "" }}{{ .Release.Name }}-migrate}
        spec:
          backoffLimit: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: migrate, image: registry.example/migrate:1}]
        """);
    files.write("fail.yml", "prefix: fail-\n");
    Path planDir =
        build(
            """
            .o: &o {namespace: jobs, create_namespace: true, chart: ./job, wait_for_jobs: true, timeout: 30s}
            releases:
              - {<<: *o, name: good}
              - {<<: *o, name: broken, values: [fail.yml]}
            """);
    RunReport report = up(planDir);
    assertThat(line(report, "good@jobs")).isEqualTo("deployed -->1");
    assertThat(
            client()
                .batch()
                .v1()
                .jobs()
                .inNamespace("jobs")
                .withName("good-migrate")
                .get()
                .getStatus()
                .getSucceeded())
        .isEqualTo(1);
    assertThat(line(report, "broken@jobs"))
        .startsWith("failed -->1: ")
        .contains("fail-broken-migrate");
  }

  /** The failure names what Helm waited for in vain: here a claim no provisioner serves. */
  @Test
  void aClaimThatIsNeverBoundFailsTheReleaseNamingIt() {
    files.chart("claim");
    files.write(
        "claim/templates/pvc.yaml",
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec:
          accessModes: [ReadWriteOnce]
          storageClassName: missing
          resources: {requests: {storage: 1Gi}}
        """);
    Path planDir =
        build(
            "releases: [{name: pv, namespace: claims, create_namespace: true, chart: ./claim,"
                + " wait: watcher, timeout: 5s}]\n");

    RunReport report = up(planDir);

    assertThat(line(report, "pv@claims"))
        .startsWith("failed -->1: ")
        .contains(
            "PersistentVolumeClaim/claims/data: not bound (phase Pending, storage class missing)");
  }

  /**
   * A load balancer that never gets an address: the failure names the Service. Helm's legacy wait
   * checks the address; its watcher (kstatus) counts a LoadBalancer ready once it has a cluster IP.
   */
  @Test
  void aServiceThatNeverGetsAnAddressFailsTheReleaseNamingIt() {
    files.chart("lb");
    files.write(
        "lb/templates/service.yaml",
        """
        apiVersion: v1
        kind: Service
        metadata: {name: no-address-web}
        spec:
          type: LoadBalancer
          selector: {app: web}
          ports: [{port: 80}]
        """);
    Path planDir =
        build(
            "releases: [{name: lb, namespace: lbs, create_namespace: true, chart: ./lb,"
                + " wait: legacy, timeout: 5s}]\n");

    RunReport report = up(planDir);

    assertThat(line(report, "lb@lbs"))
        .startsWith("failed -->1: ")
        .contains("Service/lbs/no-address-web: no load balancer address yet");
  }

  /** A pod-health monitor sees the crash loop the new revision brought and rolls it back. */
  @Test
  void aPodHealthMonitorRollsBackARevisionWhosePodsCrashLoop() {
    files.chart("loop");
    files.write(
        "loop/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{ .Values.prefix }}app}
        spec:
          selector: {matchLabels: {app.kubernetes.io/instance: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app.kubernetes.io/instance: {{ .Release.Name }}}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    files.write("loop/values.yaml", "prefix: steady-\n");
    String plan =
        """
        monitors:
          - {name: pods, type: kubernetes, interval: 1s, failure_threshold: 2, success_threshold: 20,
             total_timeout: 60s, kubernetes: {max_restarts: 0}}
        releases:
          - {name: app, namespace: podhealth, create_namespace: true, chart: ./loop, values: [v.yml],
             monitors: [{name: pods, action: rollback}]}
        """;
    files.write("v.yml", "prefix: steady-\n");
    assertThat(
            line(
                up(build(plan.replace("[{name: pods, action: rollback}]", "[]"))), "app@podhealth"))
        .isEqualTo("deployed -->1");
    files.write("v.yml", "prefix: crashloop-\n");

    java.util.List<dev.deployer.core.event.Event> events =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    RunReport report = up(build(plan), false, false, RollbackScope.RELEASE, events::add);

    assertThat(line(report, "app@podhealth")).isEqualTo("rolled back 1->3: monitor pods failed");
    assertThat(report.releases()).singleElement().satisfies(r -> assertThat(r.ok()).isFalse());
    // The rollback is told while it happens: after the monitor ended, its start and its end.
    assertThat(events)
        .map(
            e ->
                e instanceof dev.deployer.core.event.Event.MonitorFinished m
                    ? "monitor " + m.monitor() + " " + m.outcome()
                    : e instanceof dev.deployer.core.event.Event.MonitorActionStarted a
                        ? a.action() + " " + a.release() + ": " + a.reason()
                        : e instanceof dev.deployer.core.event.Event.MonitorActionFinished a
                            ? a.release() + " " + a.outcome() + " revision " + a.revision().get()
                            : "")
        .filteredOn(t -> !t.isEmpty())
        .containsExactly(
            "monitor pods failed",
            "rollback app@podhealth: monitor pods failed",
            "app@podhealth rolled back revision 3");
    assertThat(report.monitors())
        .singleElement()
        .satisfies(m -> assertThat(m.lastResult()).contains("crashloop-app"));
    assertThat(client().apps().deployments().inNamespace("podhealth").withName("steady-app").get())
        .isNotNull();
    assertThat(
            client().apps().deployments().inNamespace("podhealth").withName("crashloop-app").get())
        .isNull();
  }

  /** deployer continues a release that Helm's own CLI installed: up, rollback, down. */
  @Test
  // The first run on a machine builds the helm CLI from Go modules.
  @org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.MINUTES)
  void upRollbackAndDownContinueAReleaseHelmInstalled() throws Exception {
    files.write("v.yml", "level: debug\n");
    dev.deployer.core.kube.Namespaces.ensure(client(), "byhelm");
    var helm =
        dev.deployer.core.kube.testcluster.HelmCli.v4()
            .run(
                kubeconfig(),
                "install",
                "web",
                dir.resolve("ok").toString(),
                "-n",
                "byhelm",
                "--set",
                "level=helm");
    assertThat(helm.exitCode()).as(helm.output()).isZero();
    Path planDir =
        build("releases: [{name: web, namespace: byhelm, chart: ./ok, values: [v.yml]}]\n");

    assertThat(line(up(planDir), "web@byhelm")).isEqualTo("deployed 1->2");
    assertThat(configData("byhelm", "web")).containsEntry("level", "debug");
    RunReport back = rollback(planDir, Selection.ALL);
    assertThat(line(back, "web@byhelm")).isEqualTo("rolled back 2->3");
    assertThat(configData("byhelm", "web")).containsEntry("level", "helm");
    RunReport down = down(planDir, Selection.ALL, false);
    assertThat(line(down, "web@byhelm")).isEqualTo("uninstalled 3->-");
    assertThat(statuses("byhelm", "web")).isEmpty();
  }

  /**
   * A monitor fails after someone else deployed over this run's revision: the rollback would revert
   * their deploy, so the release is left alone and the report says why.
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, unit = TimeUnit.MINUTES)
  void aFailedMonitorLeavesAloneARevisionThisRunDidNotWrite() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean broken =
        new java.util.concurrent.atomic.AtomicBoolean();
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(broken.get() ? 404 : 200, -1);
          exchange.close();
        });
    server.start();
    try {
      files.write("v.yml", "level: one\n");
      String plan =
          """
          monitors:
            - {name: health, type: http, interval: 200ms, success_threshold: 1000, failure_threshold: 1,
               total_timeout: 120s, http: {url: 'http://127.0.0.1:%d/'}}
          releases:
            - {name: api, namespace: theirs, create_namespace: true, chart: ./ok, values: [v.yml],
               monitors: [{name: health, action: rollback}]}
          """
              .formatted(server.getAddress().getPort());
      up(build(plan.replace("[{name: health, action: rollback}]", "[]")));
      files.write("v.yml", "level: two\n");
      Path planDir = build(plan);
      CompletableFuture<RunReport> run =
          CompletableFuture.supplyAsync(
              () -> up(planDir, false, false, RollbackScope.RELEASE, EventListener.NONE));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!statuses("theirs", "api").contains("2 deployed")) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }
      // Someone else deploys while this run's monitor still watches.
      var helm =
          dev.deployer.core.kube.testcluster.HelmCli.v4()
              .run(
                  kubeconfig(),
                  "upgrade",
                  "api",
                  dir.resolve("ok").toString(),
                  "-n",
                  "theirs",
                  "--set",
                  "level=theirs");
      assertThat(helm.exitCode()).as(helm.output()).isZero();
      broken.set(true);

      RunReport report = run.get(120, TimeUnit.SECONDS);

      assertThat(line(report, "api@theirs"))
          .isEqualTo(
              "left alone 1->2: monitor health failed; not undone: the live revision 3 is not the one"
                  + " this run wrote (2)");
      assertThat(report.succeeded()).isFalse();
      assertThat(configData("theirs", "api")).containsEntry("level", "theirs");
      assertThat(statuses("theirs", "api"))
          .containsExactly("1 superseded", "2 superseded", "3 deployed");
    } finally {
      server.stop(0);
    }
  }

  /** The API server goes away while Helm waits: the release fails saying so, within its timeout. */
  @Test
  void anApiServerThatVanishesMidRunFailsTheReleaseSayingSo() throws Exception {
    String kubeconfig = java.nio.file.Files.readString(cluster.kubeconfigPath());
    var server =
        java.util.regex.Pattern.compile("server: https://127\\.0\\.0\\.1:(\\d+)")
            .matcher(kubeconfig);
    org.assertj.core.api.Assertions.assertThat(server.find()).as("kubeconfig server").isTrue();
    int port = Integer.parseInt(server.group(1));
    try (TcpProxy proxy =
        new TcpProxy(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port))) {
      Path proxied = dir.resolve("proxied-kubeconfig");
      java.nio.file.Files.writeString(
          proxied, kubeconfig.replace("127.0.0.1:" + port, "127.0.0.1:" + proxy.port()));
      java.util.Map<String, String> env = new java.util.TreeMap<>(this.env);
      env.put("KUBECONFIG", proxied.toString());
      KubernetesCluster through = KubernetesCluster.create(env, java.util.Optional.empty());
      Deployer viaProxy = new Deployer(through, env);
      Path planDir =
          build(
              """
              releases:
                - {name: gone, namespace: vanish, create_namespace: true, chart: ./bad, wait: true, timeout: 15s}
                - {name: after, namespace: vanish, chart: ./ok, depends_on: [gone]}
              """);
      CompletableFuture<RunReport> run =
          CompletableFuture.supplyAsync(
              () ->
                  viaProxy.up(
                      UpRequest.of(planDir, java.time.Duration.ofSeconds(2)),
                      EventListener.NONE,
                      new Cancellation()));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (dev.deployer.core.kube.fixture.HelmReleaseRecords.secrets(client(), "vanish", "gone")
          .isEmpty()) {
        org.assertj.core.api.Assertions.assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(1000);
      long gone = System.nanoTime();
      proxy.stop();
      RunReport report = run.get(120, java.util.concurrent.TimeUnit.SECONDS);
      through.close();
      org.assertj.core.api.Assertions.assertThat(
              java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - gone))
          .as("nothing hangs past the release's timeout and the lock's")
          .isLessThan(90);
      org.assertj.core.api.Assertions.assertThat(line(report, "gone@vanish"))
          .startsWith("failed ")
          .contains("API server unreachable: ");
      org.assertj.core.api.Assertions.assertThat(line(report, "after@vanish"))
          .startsWith("skipped");
    }
  }
}
