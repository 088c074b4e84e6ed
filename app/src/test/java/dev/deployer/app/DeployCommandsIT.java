package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The deploy commands as a user runs them, against the kube fixture. */
@Timeout(180)
class DeployCommandsIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  @TempDir Path dir;
  PlanFiles files;
  Map<String, String> env;
  Path plan;
  String planDir;

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
    env =
        new TreeMap<>(
            Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", kube.kubeconfigPath().toString()));
    files.chart("ok");
    files.write(
        "ok/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | quote }}\ndata:\n  level: {{ .Values.level | quote }}\n");
    files.write("v.yml", "level: info\n");
    plan =
        files.write(
            "deployer.yml",
            """
            project: cli
            .o: &o {namespace: cli, create_namespace: true, chart: ./ok, values: [v.yml]}
            releases:
              - {<<: *o, name: db}
              - {<<: *o, name: api, depends_on: [db]}
            """);
    planDir = dir.resolve(".deployer").toString();
  }

  Cli run(String... args) {
    return Cli.run(env, args);
  }

  @Test
  void upStatusDiffRollbackAndDown() {
    Cli up = run("up", "--build", "-f", plan.toString(), "--plandir", planDir);
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out())
        .containsPattern("db@cli\\s+deployed\\s+- -> 1")
        .containsPattern("api@cli\\s+deployed\\s+- -> 1")
        .endsWith("up: 2 releases, 0 not done\n");

    Cli status = run("status", "-f", plan.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.out())
        .startsWith("RELEASE")
        .containsPattern("db@cli\\s+1\\s+deployed\\s+ok-0.1.0")
        .contains("Install complete");
    Cli list = run("list", "-f", plan.toString(), "-o", "json");
    assertThat(list.out())
        .contains("\"release\" : \"api@cli\"", "\"revision\" : 1", "\"status\" : \"deployed\"");

    assertThat(run("diff", "live", "--plandir", planDir, "--detailed-exitcode").exitCode())
        .isZero();
    files.write("v.yml", "level: debug\n");
    assertThat(
            run("build", "-f", plan.toString(), "--plandir", planDir, "--diff-mode", "live")
                .exitCode())
        .isZero();
    Cli diff = run("diff", "live", "--plandir", planDir, "--detailed-exitcode");
    assertThat(diff.exitCode()).isEqualTo(ExitCodes.CHANGES);
    assertThat(diff.out()).contains("-  level: \"info\"", "+  level: \"debug\"");

    Cli upgrade = run("up", "--plandir", planDir);
    assertThat(upgrade.exitCode()).as(upgrade.err()).isZero();
    assertThat(upgrade.out()).containsPattern("api@cli\\s+deployed\\s+1 -> 2");

    Cli rollback = run("rollback", "--plandir", planDir, "-t", "nothing-has-this-tag");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).isEqualTo("rollback: no release selected\n");
    Cli rollbackApi = run("rollback", "--plandir", planDir, "--revision", "1");
    assertThat(rollbackApi.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(rollbackApi.err())
        .contains("--revision: needs exactly one release; the selection has 2");
    Cli back = run("rollback", "--plandir", planDir);
    assertThat(back.exitCode()).as(back.err()).isZero();
    assertThat(back.out())
        .containsPattern("api@cli\\s+rolled back\\s+2 -> 3")
        .containsPattern("db@cli\\s+rolled back\\s+2 -> 3");
    assertThat(kube.client().configMaps().inNamespace("cli").withName("api").get().getData())
        .containsEntry("level", "info");

    Cli history = run("history", "-f", plan.toString(), "api");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out())
        .startsWith("REVISION")
        .containsPattern("1\\s+superseded\\s+ok-0.1.0\\s+.*Install complete")
        .containsPattern("2\\s+superseded\\s+ok-0.1.0\\s+.*Upgrade complete")
        .containsPattern("3\\s+deployed\\s+ok-0.1.0\\s+.*Rollback to 1");
    Cli unknown = run("history", "-f", plan.toString(), "web");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(unknown.err()).contains(plan + ": RELEASE: the plan has no release web");

    Cli stale = run("up", "--plandir", planDir);
    assertThat(stale.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(stale.err())
        .contains("the plan is stale", "api@cli: built against revision 1, now revision 3");

    // One release by name: only api goes back.
    Cli one = run("rollback", "--plandir", planDir, "api", "--revision", "2");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out())
        .containsPattern("api@cli\\s+rolled back\\s+3 -> 4")
        .doesNotContain("db@cli");
    Cli none = run("rollback", "--plandir", planDir, "web");
    assertThat(none.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(none.err()).contains("RELEASE: the plan has no release web");
    assertThat(run("rollback", "--plandir", planDir, "api", "--revision", "3").exitCode()).isZero();

    Cli down = run("down", "--plandir", planDir);
    assertThat(down.exitCode()).as(down.err()).isZero();
    assertThat(down.out()).containsPattern("api@cli\\s+uninstalled\\s+5 -> -");
    assertThat(run("status", "-f", plan.toString()).out())
        .containsPattern("api@cli\\s+-\\s+not installed");
  }

  @Test
  void upBuildShowsTheDiffOfBuildAndStatusAndHistoryReadAPlanDirectory() throws Exception {
    String ns = kube.namespace("cli-dir");
    String file =
        files
            .write(
                "own.yml",
                """
            project: own
            releases:
              - {name: db, namespace: %s, chart: ./ok, values: [v.yml]}
              - {name: api, namespace: %s, chart: ./ok, values: [v.yml], depends_on: [db]}
            """
                    .formatted(ns, ns))
            .toString();
    String own = dir.resolve("own").toString();
    Cli first = run("up", "--build", "-f", file, "--plandir", own);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).startsWith("built " + own + ": 2 releases\n");

    files.write("v.yml", "level: debug\n");
    Cli second = run("up", "--build", "-f", file, "--plandir", own);
    assertThat(second.exitCode()).as(second.err()).isZero();
    // What build would have printed, then the report.
    assertThat(second.out())
        .contains("-  level: \"info\"", "+  level: \"debug\"")
        .contains("built " + own + ": 2 releases\n")
        .containsPattern("api@" + ns + "\\s+deployed\\s+1 -> 2");
    assertThat(second.out().indexOf("built " + own))
        .as("the build's lines come before the report's table")
        .isLessThan(second.out().indexOf("\nRELEASE "));

    // Only the plan directory: as in a CI job that downloaded it, without the plan file.
    java.nio.file.Files.delete(Path.of(file));
    Cli status = run("status", "--plandir", own);
    assertThat(status.exitCode()).as(status.err()).isZero();
    assertThat(status.out())
        .containsPattern("db@" + ns + "\\s+2\\s+deployed\\s+ok-0.1.0")
        .containsPattern("api@" + ns + "\\s+2\\s+deployed\\s+ok-0.1.0");
    Map<String, String> withVariable = new TreeMap<>(env);
    withVariable.put("DEPLOYER_PLANDIR", own);
    Cli fromVariable = Cli.run(withVariable, "list");
    assertThat(fromVariable.exitCode()).as(fromVariable.err()).isZero();
    assertThat(fromVariable.out()).containsPattern("api@" + ns + "\\s+2\\s+deployed");
    Cli history = run("history", "--plandir", own, "api");
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out())
        .containsPattern("1\\s+superseded\\s+ok-0.1.0\\s+.*Install complete")
        .containsPattern("2\\s+deployed\\s+ok-0.1.0\\s+.*Upgrade complete");
    Cli unknown = run("history", "--plandir", own, "web");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(unknown.err()).contains("RELEASE: the plan has no release web");
  }

  @Test
  void aChartThatRequiresARecentKubernetesDeploysAndRendersForTheClusterVersion() {
    // As upstream charts are written: a kubeVersion constraint, and API versions picked by the
    // cluster's version (Helm renders again at deploy time with the live capabilities).
    String ns = kube.namespace("cli-kube-version");
    files.write(
        "modern/Chart.yaml",
        "apiVersion: v2\nname: modern\nversion: 0.1.0\nkubeVersion: \">=1.30.0-0\"\n");
    files.write(
        "modern/templates/pdb.yaml",
        """
        {{- if semverCompare ">=1.21-0" .Capabilities.KubeVersion.GitVersion }}
        apiVersion: policy/v1
        {{- else }}
        apiVersion: policy/v1beta1
        {{- end }}
        kind: PodDisruptionBudget
        metadata: {name: modern}
        spec:
          minAvailable: 1
          selector: {matchLabels: {app: modern}}
        """);
    files.write(
        "modern/templates/cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: modern}
        data:
          kube: {{ .Capabilities.KubeVersion.Version | quote }}
        """);
    Path modern =
        files.write(
            "modern.yml",
            "releases: [{name: modern, namespace: %s, chart: ./modern}]\n".formatted(ns));
    Cli up =
        run("up", "--build", "-f", modern.toString(), "--plandir", dir.resolve("m").toString());
    assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
    assertThat(up.out()).containsPattern("modern@" + ns + "\\s+deployed\\s+- -> 1");
    String version = kube.client().getKubernetesVersion().getGitVersion();
    assertThat(version).matches("v1\\.\\d+\\.\\d+");
    assertThat(kube.client().configMaps().inNamespace(ns).withName("modern").get().getData())
        .containsEntry("kube", version);
    assertThat(
            kube.client()
                .policy()
                .v1()
                .podDisruptionBudget()
                .inNamespace(ns)
                .withName("modern")
                .get())
        .isNotNull();
  }

  @Test
  void theReadmeTourRunsAsWritten() throws Exception {
    // The README's commands "with a cluster in your kubeconfig", on a copy of the quickstart in a
    // namespace of its own; DEPLOYER_PLANDIR keeps .deployer out of the working directory.
    String readme = java.nio.file.Files.readString(Path.of("..", "README.md"));
    java.util.regex.Matcher block =
        java.util.regex.Pattern.compile(
                "With a cluster in your kubeconfig:\\n\\n```sh\\n(.*?)```",
                java.util.regex.Pattern.DOTALL)
            .matcher(readme);
    assertThat(block.find()).as("the tour in README.md").isTrue();
    String ns = kube.namespace("tour");
    Path quickstart = dir.resolve("quickstart");
    GitOpsExampleIT.copyTree(Path.of("..", "examples", "quickstart"), quickstart);
    Path copy = quickstart.resolve("deployer.yml");
    java.nio.file.Files.writeString(
        copy,
        java.nio.file.Files.readString(copy)
            .replace("namespace: shop", "namespace: " + ns)
            .replace("api@shop", "api@" + ns));
    Map<String, String> tourEnv = new TreeMap<>(env);
    tourEnv.put("DEPLOYER_PLANDIR", dir.resolve(".deployer").toString());
    java.util.List<String> commands = block.group(1).lines().toList();
    assertThat(commands).anyMatch(c -> c.startsWith("./deployer rollback web"));
    for (String line : commands) {
      String command = line.replaceFirst("\\s+#.*", "").strip();
      assertThat(command).startsWith("./deployer ");
      String[] args =
          command
              .substring("./deployer ".length())
              .replace("examples/quickstart/deployer.yml", copy.toString())
              .split("\\s+");
      if (command.contains("--force-upgrade")) {
        // As the README says after the tour: before the second up, there is nothing to go back to.
        Cli early = Cli.run(tourEnv, "rollback", "web");
        assertThat(early.exitCode()).as(early.out() + early.err()).isEqualTo(ExitCodes.FAILED);
        assertThat(early.out().replaceAll("\\s+", " ")).contains("nothing to roll back to");
      }
      Cli cli = Cli.run(tourEnv, args);
      assertThat(cli.exitCode()).as(command + "\n" + cli.out() + cli.err()).isZero();
    }
    assertThat(kube.client().secrets().inNamespace(ns).list().getItems())
        .as("down removed every release record")
        .noneMatch(s -> s.getType().equals("helm.sh/release.v1"));
  }

  @Test
  void aFailedReleaseExitsOneWithItsReason() {
    files.chart("bad");
    files.write(
        "bad/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: never-ready-bad}
        spec:
          selector: {matchLabels: {app: bad}}
          template:
            metadata: {labels: {app: bad}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    Path failing =
        files.write(
            "failing.yml",
            """
            releases:
              - {name: bad, namespace: fails, create_namespace: true, chart: ./bad, wait: true, timeout: 2s}
              - {name: after, namespace: fails, chart: ./ok, values: [v.yml], depends_on: [bad]}
            """);
    Cli up =
        run("up", "--build", "-f", failing.toString(), "--plandir", dir.resolve("f").toString());
    assertThat(up.exitCode()).isEqualTo(ExitCodes.FAILED);
    // Helm 4 names the resource it waited for first; the table cuts a long reason, which follows
    // it whole.
    assertThat(up.out())
        .containsPattern(
            "bad@fails\\s+failed\\s+- -> 1 .*resource Deployment/fails/never-ready-bad")
        .containsPattern("after@fails\\s+skipped\\s+- -> -\\s+-\\s+dependency bad@fails failed")
        .endsWith("up: 2 releases, 2 not done\n");
    assertThat(up.out().replaceAll("\\s+", " ")).contains("context deadline exceeded");
    // While Helm waited, the engine said for what.
    assertThat(up.err())
        .contains("waiting bad@fails: Deployment fails/never-ready-bad: InProgress");
  }

  @Test
  void kubeconfigOptionOverridesTheEnvironment() {
    Map<String, String> elsewhere = new java.util.TreeMap<>(env);
    elsewhere.put("KUBECONFIG", dir.resolve("missing-kubeconfig").toString());
    Cli without = Cli.run(elsewhere, "status", "-f", plan.toString());
    assertThat(without.exitCode()).as(without.err()).isEqualTo(ExitCodes.INVALID);
    Cli with =
        Cli.run(
            elsewhere,
            "status",
            "-f",
            plan.toString(),
            "--kubeconfig",
            kube.kubeconfigPath().toString());
    assertThat(with.exitCode()).as(with.err()).isZero();
    assertThat(with.out()).startsWith("RELEASE");
  }

  static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  static com.fasterxml.jackson.databind.JsonNode yaml(String text) throws Exception {
    return new com.fasterxml.jackson.dataformat.yaml.YAMLMapper().readTree(text);
  }

  static com.fasterxml.jackson.databind.JsonNode release(
      com.fasterxml.jackson.databind.JsonNode report, String name) {
    for (var r : report.path("releases")) {
      if (r.path("release").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError(name + " not in " + report);
  }

  @Test
  void machineOutputForUpStatusListRollbackAStaleRefusalAndDown() throws Exception {
    Cli up =
        run(
            "up",
            "--build",
            "-f",
            plan.toString(),
            "--plandir",
            planDir,
            "-o",
            "json",
            "--log-format",
            "json");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.errLines())
        .extracting(l -> l.path("event").asText())
        .contains("release_rendered", "release_started", "release_finished");
    var report = json(up.out());
    assertThat(report.path("command").asText()).isEqualTo("up");
    assertThat(report.path("verdict").asText()).isEqualTo("succeeded");
    assertThat(report.path("exit_code").asInt()).isZero();
    assertThat(report.path("releases")).hasSize(2);
    var db = release(report, "db@cli");
    assertThat(db.path("outcome").asText()).isEqualTo("deployed");
    assertThat(db.path("revision_from").isNull()).isTrue();
    assertThat(db.path("revision_to").asInt()).isEqualTo(1);
    assertThat(db.path("duration_seconds").asDouble()).isPositive();
    assertThat(db.path("reason").isNull()).isTrue();
    assertThat(report.path("monitors").isArray()).isTrue();

    for (String command : java.util.List.of("status", "list")) {
      Cli asJson = run(command, "-f", plan.toString(), "-o", "json");
      Cli asYaml = run(command, "-f", plan.toString(), "-o", "yaml");
      assertThat(asYaml.exitCode()).as(asYaml.err()).isZero();
      assertThat(asYaml.out())
          .doesNotStartWith("{")
          .doesNotStartWith("[")
          .contains("release: api@cli");
      assertThat(yaml(asYaml.out())).as(command).isEqualTo(json(asJson.out()));
    }
    Cli history = run("history", "-f", plan.toString(), "api", "-o", "yaml");
    assertThat(yaml(history.out()).get(0).path("revision").asInt()).isEqualTo(1);

    files.write("v.yml", "level: debug\n");
    assertThat(
            run("build", "-f", plan.toString(), "--plandir", planDir, "--diff-mode", "live")
                .exitCode())
        .isZero();
    assertThat(run("up", "--plandir", planDir).exitCode()).isZero();
    Cli rollback = run("rollback", "--plandir", planDir, "api", "-o", "json");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    var back = json(rollback.out());
    assertThat(back.path("command").asText()).isEqualTo("rollback");
    assertThat(back.path("verdict").asText()).isEqualTo("succeeded");
    assertThat(release(back, "api@cli").path("outcome").asText()).isEqualTo("rolled back");
    assertThat(release(back, "api@cli").path("revision_from").asInt()).isEqualTo(2);
    assertThat(release(back, "api@cli").path("revision_to").asInt()).isEqualTo(3);

    // The plan was built against api's revision 1; the cluster now has 3.
    Cli stale = run("up", "--plandir", planDir, "-o", "json", "--log-format", "json");
    assertThat(stale.exitCode()).isEqualTo(ExitCodes.REFUSED);
    assertThat(stale.out()).isEmpty();
    var lines = stale.errLines();
    var refused = lines.get(lines.size() - 1);
    assertThat(refused.path("event").asText()).isEqualTo("refused");
    assertThat(refused.path("level").asText()).isEqualTo("error");
    assertThat(refused.path("exit_code").asInt()).isEqualTo(ExitCodes.REFUSED);
    assertThat(refused.path("message").asText())
        .contains("the plan is stale", "api@cli: built against revision", "now revision 3");

    Cli down = run("down", "--plandir", planDir, "-o", "json", "--log-format", "json");
    assertThat(down.exitCode()).as(down.err()).isZero();
    down.errLines();
    var removed = json(down.out());
    assertThat(removed.path("command").asText()).isEqualTo("down");
    assertThat(release(removed, "api@cli").path("outcome").asText()).isEqualTo("uninstalled");
    assertThat(release(removed, "api@cli").path("revision_from").asInt()).isEqualTo(3);
    assertThat(release(removed, "api@cli").path("revision_to").isNull()).isTrue();
  }

  @Test
  void aFailedRunIsJsonOnStandardErrorAndInTheReport() throws Exception {
    files.chart("bad");
    files.write(
        "bad/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: never-ready-bad}
        spec:
          selector: {matchLabels: {app: bad}}
          template:
            metadata: {labels: {app: bad}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    Path failing =
        files.write(
            "failing.yml",
            """
            releases:
              - {name: bad, namespace: fails-json, create_namespace: true, chart: ./bad, wait: true, timeout: 2s}
              - {name: after, namespace: fails-json, chart: ./ok, values: [v.yml], depends_on: [bad]}
            """);
    Cli up =
        run(
            "up",
            "--build",
            "-f",
            failing.toString(),
            "--plandir",
            dir.resolve("fj").toString(),
            "--log-format",
            "json",
            "-o",
            "json");
    assertThat(up.exitCode()).isEqualTo(ExitCodes.FAILED);
    var lines = up.errLines();
    assertThat(lines)
        .anySatisfy(
            l -> {
              assertThat(l.path("event").asText()).isEqualTo("release_waiting");
              assertThat(l.path("level").asText()).isEqualTo("info");
              assertThat(l.path("release").asText()).isEqualTo("bad@fails-json");
              assertThat(l.path("waiting_for").asText())
                  .startsWith("Deployment fails-json/never-ready-bad");
            })
        .anySatisfy(
            l -> {
              assertThat(l.path("event").asText()).isEqualTo("release_finished");
              assertThat(l.path("level").asText()).isEqualTo("error");
              assertThat(l.path("outcome").asText()).isEqualTo("failed");
            });
    var report = json(up.out());
    assertThat(report.path("verdict").asText()).isEqualTo("failed");
    assertThat(report.path("exit_code").asInt()).isEqualTo(ExitCodes.FAILED);
    var bad = release(report, "bad@fails-json");
    assertThat(bad.path("outcome").asText()).isEqualTo("failed");
    assertThat(bad.path("ok").asBoolean()).isFalse();
    assertThat(bad.path("revision_to").asInt()).isEqualTo(1);
    assertThat(bad.path("reason").asText())
        .contains("resource Deployment/fails-json/never-ready-bad", "context deadline exceeded");
    var after = release(report, "after@fails-json");
    assertThat(after.path("outcome").asText()).isEqualTo("skipped");
    assertThat(after.path("reason").asText()).isEqualTo("dependency bad@fails-json failed");
    assertThat(after.path("duration_seconds").asDouble()).isZero();
  }

  /**
   * A monitor that fails rolls its release back: standard error says so as it starts and as it
   * ends, the table and the JSON report count the release as not done, and the monitor's row fits
   * the terminal with its whole reason once below it.
   */
  @Test
  void aMonitorRollbackIsShownWhileItHappensAndInEveryReport() throws Exception {
    var health = dev.deployer.core.TestHttpServers.answering(404);
    try {
      String monitored =
          """
          monitors:
            - {name: health, type: http, interval: 100ms, failure_threshold: 2,
               http: {url: 'http://127.0.0.1:%d/healthz/of/the/api/with/a/long/path'}}
          releases:
            - {name: api, namespace: cli-mon, create_namespace: true, chart: ./ok, values: [v.yml],
               monitors: [{name: health, action: rollback}]}
          """
              .formatted(health.getAddress().getPort());
      Path file =
          files.write(
              "monitored.yml", monitored.replace("[{name: health, action: rollback}]", "[]"));
      String dirOf = dir.resolve("mon").toString();
      assertThat(run("up", "--build", "-f", file.toString(), "--plandir", dirOf).exitCode())
          .isZero();
      files.write("monitored.yml", monitored);
      files.write("v.yml", "level: debug\n");
      Map<String, String> narrow = new TreeMap<>(env);
      narrow.put("COLUMNS", "80");

      Cli up = Cli.run(narrow, "up", "--build", "-f", file.toString(), "--plandir", dirOf);

      assertThat(up.exitCode()).as(up.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(up.err())
          .contains("rollback api@cli-mon: monitor health failed\n")
          .containsPattern("rollback api@cli-mon: rolled back to revision 3 in \\d+(ms|s)\n");
      List<String> out = up.out().lines().toList();
      assertThat(up.out())
          .containsPattern("api@cli-mon\\s+rolled back\\s+1 -> 3 .*monitor health failed")
          .endsWith("up: 1 release, 1 not done, 1 monitor, 1 failed\n");
      String row = out.stream().filter(l -> l.startsWith("health ")).findFirst().orElseThrow();
      assertThat(row).hasSizeLessThanOrEqualTo(80).endsWith("…");
      String reason =
          "2 consecutive failures: HTTP 404 from GET http://127.0.0.1:"
              + health.getAddress().getPort()
              + "/healthz/of/the/api/with/a/long/path (expected 200)";
      assertThat(out).contains("monitor health: " + reason);
      assertThat(up.out().split(java.util.regex.Pattern.quote(reason), -1)).hasSize(2);

      files.write("v.yml", "level: warn\n");
      Cli json =
          run(
              "up",
              "--build",
              "-f",
              file.toString(),
              "--plandir",
              dirOf,
              "-o",
              "json",
              "--log-format",
              "json");
      assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCodes.FAILED);
      var api = release(json(json.out()), "api@cli-mon");
      assertThat(api.path("outcome").asText()).isEqualTo("rolled back");
      assertThat(api.path("ok").asBoolean()).isFalse();
      assertThat(api.path("revision_to").asInt()).isEqualTo(5);
      var lines = json.errLines();
      assertThat(lines)
          .filteredOn(l -> l.path("event").asText().startsWith("monitor_action"))
          .extracting(
              l ->
                  l.path("event").asText()
                      + " "
                      + l.path("level").asText()
                      + " "
                      + l.path("release").asText()
                      + " "
                      + l.path("action").asText()
                      + " "
                      + l.path("outcome").asText("-")
                      + " "
                      + l.path("revision").asText("-")
                      + " "
                      + l.path("reason").asText("-"))
          .containsExactly(
              "monitor_action_started warn api@cli-mon rollback - - monitor health failed",
              "monitor_action_finished warn api@cli-mon rollback rolled back 5 -");
    } finally {
      health.stop(0);
    }
  }
}
