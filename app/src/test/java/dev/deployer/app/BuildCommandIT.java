package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class BuildCommandIT {
  @TempDir Path dir;

  @Test
  void buildWritesThePlanDirectoryAndValidateChecksIt() {
    Path planDir = dir.resolve(".deployer");
    Cli build = Cli.run("build", "-f", CommandsTest.QUICKSTART, "--plandir", planDir.toString());
    assertThat(build.exitCode()).isZero();
    assertThat(build.out()).isEqualTo("built " + planDir + ": 3 releases\n");
    assertThat(build.err())
        .contains("rendered db@shop: 3 resources in ", "rendered web@shop: 2 resources in ");
    assertThat(planDir.resolve("planfile")).exists();

    Cli validate = Cli.run("validate", "--plandir", planDir.toString());
    assertThat(validate.exitCode()).isZero();
    assertThat(validate.out()).isEqualTo(planDir + " is complete: 3 releases\n");
  }

  /**
   * A chart that calls {@code lookup} builds offline, with no kubeconfig or with one whose server
   * is a closed port, and the plan directory holds the chart's own default.
   */
  @Test
  void aChartThatCallsLookupBuildsOfflineWithOrWithoutAKubeconfig() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("db");
    files.write(
        "db/templates/secret.yaml",
        """
        {{- $live := lookup "v1" "Secret" .Release.Namespace "db-auth" }}
        apiVersion: v1
        kind: Secret
        metadata: {name: db-auth}
        stringData:
          password: {{ if $live }}{{ index $live.data "password" | b64dec }}{{ else }}chart-default{{ end }}
        """);
    Path plan =
        files.write("deployer.yml", "releases: [{name: db, namespace: data, chart: ./db}]\n");
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    Path kubeconfig =
        files.write(
            "kubeconfig",
            """
            apiVersion: v1
            kind: Config
            clusters: [{name: c, cluster: {server: 'https://127.0.0.1:%d'}}]
            users: [{name: u, user: {token: t}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """
                .formatted(closed));
    for (String config :
        java.util.List.of(dir.resolve("absent").toString(), kubeconfig.toString())) {
      Path planDir = dir.resolve("plan-" + config.hashCode());
      Cli build =
          Cli.run(
              java.util.Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", config),
              "build",
              "-f",
              plan.toString(),
              "--plandir",
              planDir.toString(),
              "--diff-mode",
              "none");
      assertThat(build.exitCode()).as(build.err()).isZero();
      assertThat(Files.readString(planDir.resolve("manifests/db@data.yml")))
          .contains("password: chart-default");
    }
  }

  @Test
  void buildRefusesAFolderThatIsNotAPlanDirectoryAndTouchesNothing() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan = files.write("deployer.yml", "releases: [{name: app, chart: ./c}]\n");
    Path notes = files.write("work/notes.txt", "keep me\n");

    Cli build =
        Cli.run("build", "-f", plan.toString(), "--plandir", dir.resolve("work").toString());

    assertThat(build.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(build.err())
        .contains(
            dir.resolve("work") + ": --plandir: is a folder with files but not a plan directory");
    assertThat(Files.readString(notes)).isEqualTo("keep me\n");
    try (var left = Files.list(dir.resolve("work"))) {
      assertThat(left).containsExactly(notes);
    }
    try (var siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("c", "deployer.yml", "work");
    }
    // The plan's own folder is refused the same way.
    assertThat(Cli.run("build", "-f", plan.toString(), "--plandir", dir.toString()).exitCode())
        .isEqualTo(ExitCodes.INVALID);
    assertThat(plan).exists();
  }

  @Test
  void aRebuildPrintsTheDiffAndDiffLocalComparesTwoDirectories() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    files.write(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  level: {{ .Values.level }}\n");
    files.write("values.yml", "level: info\n");
    Path plan =
        files.write("deployer.yml", "releases: [{name: app, chart: ./c, values: [values.yml]}]\n");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    assertThat(Cli.run("build", "-f", plan.toString(), "--plandir", a.toString()).exitCode())
        .isZero();
    files.write("values.yml", "level: debug\n");
    assertThat(
            Cli.run(
                    "build",
                    "-f",
                    plan.toString(),
                    "--plandir",
                    b.toString(),
                    "--diff-mode",
                    "none")
                .out())
        .isEqualTo("built " + b + ": 1 release\n");

    Cli diff =
        Cli.run(
            "diff",
            "local",
            "--plandir1",
            a.toString(),
            "--plandir2",
            b.toString(),
            "--detailed-exitcode");
    assertThat(diff.exitCode()).isEqualTo(ExitCodes.CHANGES);
    assertThat(diff.out())
        .isEqualTo(
            """
            === app@default: changed
            --- a/ConfigMap/default/cm
            +++ b/ConfigMap/default/cm
            @@ -3,4 +3,4 @@
             metadata:
               name: cm
             data:
            -  level: info
            +  level: debug
            0 added, 1 changed, 0 removed, 0 unchanged
            """);
    Cli same =
        Cli.run(
            "diff",
            "local",
            "--plandir1",
            b.toString(),
            "--plandir2",
            b.toString(),
            "--detailed-exitcode");
    assertThat(same.exitCode()).isZero();
    assertThat(same.out()).isEqualTo("0 added, 0 changed, 0 removed, 1 unchanged\n");

    Cli rebuild = Cli.run("build", "-f", plan.toString(), "--plandir", a.toString());
    assertThat(rebuild.out())
        .contains("-  level: info\n+  level: debug\n")
        .endsWith("built " + a + ": 1 release\n");
    assertThat(Files.readString(a.resolve("summary.md"))).contains("| `app@default` | changed |");
  }

  @Test
  void failuresExitOneAndListEveryRelease() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("bad");
    files.write("bad/templates/cm.yaml", "{{ fail \"no way\" }}\n");
    Path plan =
        files.write(
            "deployer.yml", "releases: [{name: one, chart: ./bad}, {name: two, chart: ./bad}]\n");
    Cli cli = Cli.run("build", "-f", plan.toString(), "--plandir", dir.resolve("p").toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.err())
        .contains("error: 2 releases failed to build:\n  one@default: ")
        .contains("  two@default: ")
        .contains("no way");
  }

  @Test
  void anInvalidPlanExitsTwoAndAMissingPlanDirectoryToo() {
    Cli cli = Cli.run("validate", "--plandir", dir.resolve("nothing").toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.err())
        .contains(
            "no planfile: is "
                + dir.resolve("nothing")
                + " a plan directory written by deployer build?");
  }

  @Test
  void logFormatJsonPrintsOneObjectPerEvent() throws Exception {
    Cli cli =
        Cli.run(
            "build",
            "-f",
            CommandsTest.QUICKSTART,
            "--plandir",
            dir.resolve("p").toString(),
            "--log-format",
            "json");
    assertThat(cli.exitCode()).isZero();
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    var events = new java.util.ArrayList<com.fasterxml.jackson.databind.JsonNode>();
    for (String line : cli.err().split("\n")) {
      events.add(mapper.readTree(line));
    }
    assertThat(events).extracting(e -> e.path("event").asText()).containsOnly("release_rendered");
    assertThat(events)
        .extracting(e -> e.path("release").asText())
        .containsExactlyInAnyOrder("db@shop", "api@shop", "web@shop");
    assertThat(events.get(0).path("resources").isInt()).isTrue();
    assertThat(events.get(0).path("took").asText()).startsWith("PT");
  }

  @Test
  void testHooksAreLeftOutUnlessIncludeTestsAndSharedObjectsAreRefused() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    files.write(
        "c/templates/all.yaml",
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: '{{ .Release.Name }}-reader'}
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: {{ .Release.Name }}-test-{{ randAlphaNum 5 | lower }}
          annotations: {helm.sh/hook: test}
        """);
    Path plan = files.write("deployer.yml", "releases: [{name: app, namespace: a, chart: ./c}]\n");
    Path planDir = dir.resolve(".deployer");
    Cli build = Cli.run("build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.err()).contains("rendered app@a: 1 resources in ");
    assertThat(Files.readString(planDir.resolve("manifests/app@a.yml")))
        .contains("app-reader")
        .doesNotContain("app-test-");
    assertThat(Files.readString(planDir.resolve("summary.md")))
        .contains("- added `ClusterRole/app-reader`");

    Cli tests =
        Cli.run("build", "-f", plan.toString(), "--plandir", planDir.toString(), "--include-tests");
    assertThat(tests.exitCode()).as(tests.err()).isZero();
    assertThat(tests.out()).containsPattern("\\+\\+\\+ b/Pod/a/app-test-[a-z0-9]{5}\n");
    assertThat(Files.readString(planDir.resolve("manifests/app@a.yml"))).contains("app-test-");

    // The same chart twice with the same name: its ClusterRole would belong to both.
    files.write(
        "deployer.yml",
        "releases: [{name: app, namespace: a, chart: ./c}, {name: app, namespace: b, chart: ./c}]\n");
    Cli shared = Cli.run("build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(shared.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(shared.err())
        .contains(
            plan
                + ":1:51: releases.app@b: renders ClusterRole/app-reader, which release app@a"
                + " renders too: an object can belong to one release only");
    assertThat(Files.readString(planDir.resolve("manifests/app@a.yml"))).contains("app-test-");
  }

  @Test
  void aMissingOrBrokenKubeconfigIsInvalidInputInEveryCommandAndNoBuildNeedsOne() throws Exception {
    Path plan = Path.of(CommandsTest.QUICKSTART);
    Path broken = dir.resolve("broken-kubeconfig");
    java.nio.file.Files.writeString(broken, "clusters: [unclosed\n");
    for (String kubeconfig :
        java.util.List.of(dir.resolve("missing").toString(), broken.toString())) {
      var env = java.util.Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", kubeconfig);
      Path planDir = dir.resolve("p-" + kubeconfig.hashCode());
      Cli build = Cli.run(env, "build", "-f", plan.toString(), "--plandir", planDir.toString());
      assertThat(build.exitCode()).as(build.err()).isZero();
      for (String[] command :
          java.util.List.of(
              new String[] {"up", "--plandir", planDir.toString()},
              new String[] {"up", "--dry-run", "--plandir", planDir.toString()},
              new String[] {"down", "--plandir", planDir.toString()},
              new String[] {"rollback", "--plandir", planDir.toString()},
              new String[] {"status", "-f", plan.toString()},
              new String[] {"list", "-f", plan.toString()},
              new String[] {"diff", "live", "--plandir", planDir.toString()})) {
        Cli run = Cli.run(env, command);
        assertThat(run.exitCode())
            .as(String.join(" ", command) + " with " + kubeconfig + ": " + run.err())
            .isEqualTo(ExitCodes.INVALID);
        assertThat(run.err()).as(String.join(" ", command)).contains("kubeconfig");
        assertThat(run.err()).doesNotContain("Exception", "\tat ");
      }
    }
  }
}
