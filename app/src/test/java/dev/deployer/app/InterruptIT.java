package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.fixture.HelmReleaseRecords;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SIGTERM and SIGINT to real {@code deployer} processes on the test control plane: no new release
 * starts, deployer cancels the running Helm operation or monitor, the report is printed, nothing is
 * left pending, and the exit code is 128 + the signal.
 */
@Timeout(300)
class InterruptIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  @TempDir Path dir;

  static final String SLOW =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: never-ready-{{ .Release.Name }}}
      spec:
        selector: {matchLabels: {app: {{ .Release.Name }}}}
        template:
          metadata: {labels: {app: {{ .Release.Name }}}}
          spec: {containers: [{name: app, image: registry.example/app:1}]}
      """;

  Map<String, String> env() {
    Map<String, String> env = new TreeMap<>(System.getenv());
    env.put("KUBECONFIG", kube.kubeconfigPath().toString());
    return env;
  }

  Path build(String planText) {
    PlanFiles files = new PlanFiles(dir);
    files.chart("slow");
    files.write("slow/templates/deployment.yaml", SLOW);
    files.chart("next");
    Path plan = files.write("deployer.yml", planText);
    Path planDir = dir.resolve("plan");
    Cli built = Cli.run(env(), "build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(built.exitCode()).as(built.err()).isZero();
    return planDir;
  }

  /** Starts {@code deployer ARGS} from the CLI jar, as a user would. */
  Process start(String... args) throws java.io.IOException {
    Path jar = Path.of("target", "deployer.jar");
    assertThat(jar).as("the CLI jar, built at package").exists();
    List<String> command =
        new java.util.ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString()));
    command.addAll(List.of(args));
    command.add("--no-color");
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env());
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    return pb.start();
  }

  String out() throws java.io.IOException {
    return Files.readString(dir.resolve("out.txt"));
  }

  String err() throws java.io.IOException {
    return Files.readString(dir.resolve("err.txt"));
  }

  /** Waits until Helm has written a record of the release (its install has begun). */
  static void awaitRecord(String namespace, String release) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (HelmReleaseRecords.secrets(kube.client(), namespace, release).isEmpty()) {
      assertThat(System.nanoTime())
          .as("Helm started installing " + release + "@" + namespace)
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  static List<String> statuses(String namespace, String release) {
    return HelmReleaseRecords.secrets(kube.client(), namespace, release).stream()
        .map(r -> r.getMetadata().getLabels().get("status"))
        .toList();
  }

  static void signal(Process p, String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start();
    assertThat(kill.waitFor()).isZero();
  }

  /**
   * Deployed when installed, never ready once upgraded: the upgrade of an installed release waits
   * until it is cancelled.
   */
  static final String READY_ONCE =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: {{ if .Release.IsUpgrade }}never-ready{{ else }}ready{{ end }}-{{ .Release.Name }}}
      spec:
        selector: {matchLabels: {app: {{ .Release.Name }}}}
        template:
          metadata: {labels: {app: {{ .Release.Name }}}}
          spec: {containers: [{name: app, image: registry.example/app:1}]}
      """;

  /** Waits until the run's standard error shows that the release started. */
  void awaitStart(Process p, String release, boolean json) throws Exception {
    String line = json ? "\"release\":\"" + release + "\"" : "start " + release;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (err()
        .lines()
        .noneMatch(l -> l.contains(line) && (!json || l.contains("release_started")))) {
      assertThat(p.isAlive()).as("deployer runs: " + out() + err()).isTrue();
      assertThat(System.nanoTime()).as("deployer started " + release).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  static List<io.fabric8.kubernetes.api.model.coordination.v1.Lease> leases(String namespace) {
    return kube.client()
        .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
        .inNamespace(namespace)
        .list()
        .getItems();
  }

  /**
   * A signal at any moment after a release starts, also before Helm has written its revision, is
   * not lost: the install or upgrade is cancelled (or never starts), nothing is left pending, the
   * release's Lease is freed, the report is printed, and deployer exits 128 + the signal at once.
   * With {@code --log-format json} every line on standard error is JSON, client-go's included.
   */
  @ParameterizedTest(name = "{0} at {1} ms, SIG{2}, json {3}")
  @CsvSource({
    "install, 0, INT, false",
    "install, 200, TERM, true",
    "install, 500, INT, true",
    "install, 1000, TERM, false",
    "install, 2000, INT, false",
    "install, 3000, TERM, true",
    "upgrade, 0, TERM, true",
    "upgrade, 200, INT, false",
    "upgrade, 500, TERM, false",
    "upgrade, 1000, INT, true",
    "upgrade, 2000, TERM, true",
    "upgrade, 3000, INT, false"
  })
  void aSignalSoonAfterTheStartIsNotLost(String kind, long delayMs, String signal, boolean json)
      throws Exception {
    String namespace = "sig-early-" + kind.charAt(0) + delayMs + signal.toLowerCase();
    PlanFiles files = new PlanFiles(dir);
    files.chart("flip");
    files.write("flip/templates/deployment.yaml", READY_ONCE);
    Path planDir =
        build(
            "releases: [{name: early, namespace: %s, create_namespace: true, chart: ./%s, wait: true, timeout: 60s}]\n"
                .formatted(namespace, kind.equals("install") ? "slow" : "flip"));
    List<String> args = new java.util.ArrayList<>(List.of("up", "--plandir", planDir.toString()));
    if (kind.equals("upgrade")) {
      Cli installed = Cli.run(env(), args.toArray(String[]::new));
      assertThat(installed.exitCode()).as(installed.out() + installed.err()).isZero();
      args.add("--allow-stale"); // the plan was built before the install
    }
    if (json) {
      args.addAll(List.of("-o", "json", "--log-format", "json"));
    }
    Process up = start(args.toArray(String[]::new));
    awaitStart(up, "early@" + namespace, json);
    Thread.sleep(delayMs);
    long signalled = System.nanoTime();
    signal(up, signal);
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("deployer ended").isTrue();
    int code = ExitCodes.interrupted(signal.equals("INT") ? 2 : 15);
    assertThat(up.exitValue()).as(out() + err()).isEqualTo(code);
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled))
        .as("Helm's 60 s wait was cancelled, not waited out")
        .isLessThan(30);
    assertThat(statuses(namespace, "early"))
        .as("no revision is left pending")
        .noneMatch(status -> status.startsWith("pending-"));
    assertThat(leases(namespace)).as("the release's Lease is freed").isEmpty();
    assertThat(err()).doesNotContain("did not end within");
    if (json) {
      var lines = Cli.jsonLines(err());
      assertThat(lines.get(lines.size() - 1).path("exit_code").asInt()).isEqualTo(code);
      var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out());
      assertThat(report.path("verdict").asText()).isEqualTo("interrupted");
      assertThat(report.path("exit_code").asInt()).isEqualTo(code);
      assertThat(report.path("releases").get(0).path("release").asText())
          .isEqualTo("early@" + namespace);
      assertThat(report.path("releases").get(0).path("outcome").asText()).isEqualTo("failed");
    } else {
      assertThat(out())
          .containsPattern("early@" + namespace + "\\s+failed")
          .contains("up: 1 release, 1 not done (interrupted)");
    }
  }

  /** Ctrl-C twice in a row: the run is cut short, yet it ends as after one. */
  @Test
  void aSecondSignalLeavesNothingPendingEither() throws Exception {
    Path planDir =
        build(
            "releases: [{name: twice, namespace: sig-twice, create_namespace: true, chart: ./slow, wait: true, timeout: 60s}]\n");
    Process up = start("up", "--plandir", planDir.toString());
    awaitStart(up, "twice@sig-twice", false);
    Thread.sleep(300);
    signal(up, "INT");
    Thread.sleep(100);
    signal(up, "INT");
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(2));
    assertThat(err()).contains("second signal");
    assertThat(statuses("sig-twice", "twice"))
        .as("no revision is left pending")
        .noneMatch(status -> status.startsWith("pending-"));
    assertThat(leases("sig-twice")).as("the release's Lease is freed").isEmpty();
    assertThat(out()).contains("up: 1 release, 1 not done (interrupted)");
  }

  @Test
  void aSignalStopsNewReleasesAndCancelsTheRunningOne() throws Exception {
    Path planDir =
        build(
            """
            releases:
              - {name: slow, namespace: sig, create_namespace: true, chart: ./slow, wait: true, timeout: 60s}
              - {name: next, namespace: sig, chart: ./next, depends_on: [slow]}
            """);
    Process up = start("up", "--plandir", planDir.toString());
    awaitRecord("sig", "slow");
    Thread.sleep(500);
    long signalled = System.nanoTime();
    up.destroy(); // SIGTERM
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    // Helm stops waiting at once, not at the end of its 60 s timeout.
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled)).isLessThan(30);

    // deployer cancels the engine's operation (the engine has no signal handler of its own); Helm
    // records the release failed, never pending, and deployer starts nothing after it.
    assertThat(up.exitValue()).as(out()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(out())
        .containsPattern("slow@sig\\s+failed\\s+- -> 1 .*context canceled")
        .containsPattern("next@sig\\s+(skipped|cancelled)\\s+- -> -")
        .contains("up: 2 releases, 2 not done (interrupted)");
    assertThat(statuses("sig", "slow")).containsExactly("failed");
    assertThat(statuses("sig", "next")).isEmpty();
  }

  @Test
  void withLogFormatJsonEveryLineOfAnInterruptedRunIsJson() throws Exception {
    Path planDir =
        build(
            """
            releases:
              - {name: slow, namespace: sig-json, create_namespace: true, chart: ./slow, wait: true, timeout: 60s}
              - {name: next, namespace: sig-json, chart: ./next, depends_on: [slow]}
            """);
    Process up = start("up", "--plandir", planDir.toString(), "--log-format", "json", "-o", "json");
    awaitRecord("sig-json", "slow");
    Thread.sleep(500);
    up.destroy(); // SIGTERM
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(err()).isEqualTo(ExitCodes.interrupted(15));
    var lines = Cli.jsonLines(err());
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("event").asText()).isEqualTo("signal");
              assertThat(l.path("level").asText()).isEqualTo("warn");
              assertThat(l.path("signal").asText()).isEqualTo("SIGTERM");
              assertThat(l.path("message").asText()).contains("starting nothing new");
            });
    var last = lines.get(lines.size() - 1);
    assertThat(last.path("event").asText()).isEqualTo("interrupted");
    assertThat(last.path("exit_code").asInt()).isEqualTo(143);
    var report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out());
    assertThat(report.path("verdict").asText()).isEqualTo("interrupted");
    assertThat(report.path("exit_code").asInt()).isEqualTo(143);
    assertThat(report.path("interrupted").asBoolean()).isTrue();
    assertThat(report.path("releases").get(0).path("release").asText()).isEqualTo("slow@sig-json");
    assertThat(report.path("releases").get(0).path("outcome").asText()).isEqualTo("failed");
    assertThat(report.path("releases").get(0).path("reason").asText()).contains("context canceled");
  }

  @Test
  void independentReleasesDoNotStartAfterTheSignal() throws Exception {
    Path planDir =
        build(
            """
            .o: &o {namespace: sig-indep, create_namespace: true}
            releases:
              - {<<: *o, name: a-slow, chart: ./slow, wait: true, timeout: 60s}
              - {<<: *o, name: b-slow, chart: ./slow, wait: true, timeout: 60s}
              - {<<: *o, name: c1, chart: ./next}
              - {<<: *o, name: c2, chart: ./next}
              - {<<: *o, name: c3, chart: ./next}
            """);
    Process up = start("up", "--plandir", planDir.toString(), "--parallel-limit", "2");
    awaitRecord("sig-indep", "a-slow");
    awaitRecord("sig-indep", "b-slow");
    Thread.sleep(500);
    signal(up, "INT");
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(2));
    assertThat(err()).contains("SIGINT: starting nothing new");
    assertThat(out()).containsPattern("c1@sig-indep\\s+cancelled").contains("(interrupted)");
    for (String r : List.of("c1", "c2", "c3")) {
      assertThat(statuses("sig-indep", r)).as(r).isEmpty();
    }
    assertThat(statuses("sig-indep", "a-slow")).containsExactly("failed");
    assertThat(statuses("sig-indep", "b-slow")).containsExactly("failed");
  }

  @Test
  void aSignalDuringTheMonitorPhaseCancelsTheMonitorsAndActsOnNothing() throws Exception {
    var server = dev.deployer.core.TestHttpServers.answering(200);
    try {
      Path planDir =
          build(
              """
              monitors:
                - {name: health, type: http, interval: 200ms, total_timeout: 2m, success_threshold: 100000,
                   failure_threshold: 3, http: {url: 'http://127.0.0.1:%d/'}}
              releases:
                - {name: api, namespace: sig-mon, create_namespace: true, chart: ./next,
                   monitors: [{name: health, action: uninstall}]}
              """
                  .formatted(server.getAddress().getPort()));
      Process up = start("up", "--plandir", planDir.toString());
      awaitRecord("sig-mon", "api");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!statuses("sig-mon", "api").equals(List.of("deployed"))) {
        assertThat(System.nanoTime()).isLessThan(deadline);
        Thread.sleep(100);
      }
      Thread.sleep(1500); // the monitor is probing now
      up.destroy();
      assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(up.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(15));
      assertThat(out()).containsPattern("health\\s+cancelled").contains("(interrupted)");
      // A cancelled monitor is no failure: its action does not run.
      assertThat(statuses("sig-mon", "api")).containsExactly("deployed");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aSignalWhileTheEngineLoadsEndsWithoutATrace() throws Exception {
    Path planDir = build("releases: [{name: early, namespace: sig-early, chart: ./next}]\n");
    Process up = start("up", "--plandir", planDir.toString());
    Thread.sleep(150);
    up.destroy();
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(err()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void aSignalDuringARollbackCancelsItAndLeavesNothingPending() throws Exception {
    // Two revisions deployed without waiting; the rollback then waits for a Deployment that never
    // becomes ready, and is interrupted.
    PlanFiles files = new PlanFiles(dir);
    files.write("v.yml", "x: 1\n");
    String plan =
        "releases: [{name: back, namespace: sig-back, create_namespace: true, chart: ./slow,"
            + " values: [v.yml]%s}]\n";
    Path quick = build(plan.formatted(""));
    assertThat(Cli.run(env(), "up", "--plandir", quick.toString()).exitCode()).isZero();
    files.write("v.yml", "x: 2\n");
    quick = build(plan.formatted(""));
    assertThat(Cli.run(env(), "up", "--plandir", quick.toString()).exitCode()).isZero();
    Path waiting = build(plan.formatted(", wait: true, timeout: 60s"));

    Process rollback = start("rollback", "--plandir", waiting.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (statuses("sig-back", "back").size() < 3) {
      assertThat(System.nanoTime()).as("Helm started the rollback").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(500);
    rollback.destroy();
    assertThat(rollback.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(rollback.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(out()).contains("(interrupted)");
    assertThat(statuses("sig-back", "back"))
        .as("no revision is left pending")
        .noneMatch(status -> status.startsWith("pending-"));
  }

  @Test
  void aSignalDuringDeployerMonitorEndsItWithoutARollback() throws Exception {
    var prometheus =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.createContext(
        "/api/v1/query",
        exchange -> {
          byte[] body =
              "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    prometheus.start();
    try {
      Path planDir =
          build(
              "releases: [{name: watched, namespace: sig-watch, create_namespace: true, chart: ./next}]\n");
      assertThat(Cli.run(env(), "up", "--plandir", planDir.toString()).exitCode()).isZero();
      Process monitor =
          start(
              "monitor",
              "prometheus",
              "watched",
              "-n",
              "sig-watch",
              "--prometheus",
              "http://127.0.0.1:" + prometheus.getAddress().getPort(),
              "up == 0",
              "--interval",
              "200ms",
              "--timeout",
              "2m");
      Thread.sleep(4000);
      signal(monitor, "INT");
      assertThat(monitor.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(monitor.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(2));
      assertThat(out() + err()).contains("cancelled").doesNotContain("healthy");
      assertThat(statuses("sig-watch", "watched")).containsExactly("deployed");
    } finally {
      prometheus.stop(0);
    }
  }

  /**
   * A hook Job that never completes: its pod crash-loops in place (the control plane's fail- knob).
   */
  static String hookJob(String name, String event) {
    return """
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: fail-%s
          annotations: {"helm.sh/hook": %s, "helm.sh/hook-delete-policy": before-hook-creation}
        spec:
          backoffLimit: 1000
          template:
            spec:
              restartPolicy: OnFailure
              containers: [{name: hook, image: registry.example/hook:1}]
        """
        .formatted(name, event);
  }

  @Test
  void aSignalWhileHelmWaitsForAHookEndsTheInstallFailed() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("hooked");
    files.write("hooked/templates/hook.yaml", hookJob("pre", "pre-install"));
    Path planDir =
        build(
            "releases: [{name: hooked, namespace: sig-hook, create_namespace: true, chart: ./hooked,"
                + " timeout: 90s}]\n");
    Process up = start("up", "--plandir", planDir.toString());
    awaitRecord("sig-hook", "hooked");
    Thread.sleep(2000);
    up.destroy();
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(up.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(statuses("sig-hook", "hooked")).containsExactly("failed");
  }

  @Test
  void aSignalWhileHelmWaitsForAnUninstallHookLeavesNothingPending() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("removal");
    files.write("removal/templates/hook.yaml", hookJob("removal", "pre-delete"));
    Path planDir =
        build(
            "releases: [{name: removal, namespace: sig-down, create_namespace: true,"
                + " chart: ./removal, timeout: 90s}]\n");
    assertThat(Cli.run(env(), "up", "--plandir", planDir.toString()).exitCode()).isZero();
    Process down = start("down", "--plandir", planDir.toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (kube.client().batch().v1().jobs().inNamespace("sig-down").withName("fail-removal").get()
        == null) {
      assertThat(System.nanoTime()).as("Helm created the pre-delete hook").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(1000);
    down.destroy();
    assertThat(down.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(down.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(out()).contains("(interrupted)");
    // Helm records an uninstall cut short as "uninstalling", never pending-*; the report says so
    // and how to finish.
    assertThat(statuses("sig-down", "removal")).containsExactly("uninstalling");
    assertThat(out())
        .containsPattern("removal@sig-down\\s+failed")
        .contains("run 'deployer down' for it again to finish removing it");
  }

  @Test
  void aRunThatDoesNotEndWithinTheGracePeriodIsCutShortFreesItsLockAndPrintsItsReport()
      throws Exception {
    // A release's hook that ignores the cancellation keeps the run from ending on its own, while
    // the run holds the release's Lease.
    PlanFiles files = new PlanFiles(dir);
    files.write("stall.sh", "echo stalling; sleep 60\n");
    Path planDir =
        build(
            "releases: [{name: graced, namespace: sig-grace, create_namespace: true, chart: ./next,"
                + " lifecycle: {pre_up: [sh stall.sh]}}]\n");
    Process up = start("up", "--plandir", planDir.toString(), "--grace", "2s");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (leases("sig-grace").isEmpty()) {
      assertThat(System.nanoTime()).as("deployer took the Lease").isLessThan(deadline);
      Thread.sleep(100);
    }
    Thread.sleep(1000); // the hook runs
    long signalled = System.nanoTime();
    up.destroy();
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled))
        .as("cut short after --grace, not after the hook")
        .isBetween(1500L, 20_000L);
    assertThat(up.exitValue()).as(out() + err()).isEqualTo(ExitCodes.interrupted(15));
    assertThat(err()).contains("the run did not end within 2s (--grace) of the signal");
    assertThat(out())
        .containsPattern("graced@sig-grace\\s+failed")
        .contains("up: 1 release, 1 not done (interrupted)");
    assertThat(leases("sig-grace")).as("the release's Lease is freed").isEmpty();
    assertThat(statuses("sig-grace", "graced")).isEmpty();
  }
}
