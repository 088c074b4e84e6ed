package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.PlanFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandsTest {
  static final String QUICKSTART =
      Path.of("..", "examples", "quickstart", "deployer.yml").toString();

  @TempDir Path dir;

  @Test
  void helpListsEveryCommandAndTheExitCodes() {
    Cli cli = Cli.run("--help");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .contains("validate", "graph", "schema", "version", "completion")
        .contains("Exit codes: 0 success, 1 a release or monitor failed, 2 invalid input,");
  }

  @Test
  void versionPrintsTheBuildVersionAndTheEmbeddedHelmSdk() {
    Cli cli = Cli.run("version");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .matches(
            "deployer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R"
                + "helm v4\\.\\d+\\.\\d+ \\(SDK, embedded; built with go1\\.\\d+(\\.\\d+)?\\)\\R");
    assertThat(cli.out()).contains("helm v4.3.2 ");
    assertThat(Cli.run("--version").out())
        .isEqualTo(cli.out().lines().findFirst().orElseThrow() + "\n");
  }

  @Test
  void badOptionValuesAreUsageErrorsNamingTheOptionBeforeAnythingRuns() {
    for (String[] args :
        new String[][] {
          {"up", "--plandir", "nowhere", "--parallel-limit", "-1"},
          {"up", "--plandir", "nowhere", "--lock-timeout", "5q"},
          {"down", "--plandir", "nowhere", "--lock-timeout", "3000000h"},
          {"build", "-f", QUICKSTART, "--parallel-limit", "0"},
          {"monitor", "prometheus", "api", "up", "--interval", "0s"},
        }) {
      Cli cli = Cli.run(args);
      assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.INVALID);
      assertThat(cli.err())
          .as(String.join(" ", args))
          .contains("Invalid value for option '" + args[args.length - 2] + "'")
          .doesNotContain("Exception", "\tat ");
    }
  }

  @Test
  void everyOptionDefaultsFromADeployerVariableAndTheCommandLineWins() {
    Path planDir = dir.resolve("from-env");
    java.util.Map<String, String> env =
        java.util.Map.of(
            "PATH",
            System.getenv("PATH"),
            "DEPLOYER_PLANDIR",
            planDir.toString(),
            "DEPLOYER_DIFF_MODE",
            "none");

    Cli build = Cli.run(env, "build", "-f", QUICKSTART);
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).isEqualTo("built " + planDir + ": 3 releases\n");

    Path flag = dir.resolve("from-flag");
    assertThat(Cli.run(env, "build", "-f", QUICKSTART, "--plandir", flag.toString()).out())
        .isEqualTo("built " + flag + ": 3 releases\n");
    Cli bad = Cli.run(java.util.Map.of("DEPLOYER_LOCK_TIMEOUT", "5q"), "down", "--plandir", "x");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(bad.err()).contains("--lock-timeout");
  }

  @Test
  void lintRunsHelmsLintAndTheRenderChecks() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    files.write(
        "c/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: 1
          strategy: {rollingUpdate: {maxUnavailable: 1}}
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {rolled: {{ now | quote }}}
            spec:
              containers: [{name: web, image: nginx}]
        """);
    Path plan =
        files.write("deployer.yml", "releases: [{name: web, namespace: shop, chart: ./c}]\n");

    Cli cli = Cli.run("lint", "-f", plan.toString());

    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .contains(
            "web@shop: warning: Deployment web: container web has no readinessProbe",
            "web@shop: warning: Deployment web: container web image nginx has no tag: it means latest",
            "web@shop: warning: Deployment web: 1 replica with maxUnavailable 1",
            "web@shop: warning: Deployment web: pod template annotation rolled changes on every render")
        .endsWith("0 errors, 4 warnings\n");
    assertThat(Cli.run("lint", "-f", plan.toString(), "--strict").exitCode())
        .isEqualTo(ExitCodes.FAILED);
  }

  @Test
  void validateAcceptsTheQuickstart() {
    Cli cli = Cli.run("validate", "-f", QUICKSTART);
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .isEqualTo(QUICKSTART + " is valid: 3 releases, 2 dependencies, 0 monitors\n");
    assertThat(cli.err()).isEmpty();
  }

  @Test
  void validateListsEveryProblemAndExitsTwo() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write(
            "deployer.yml",
            """
            releases:
              - {name: bravo, namespace: x, chart: ./c, depends_on: [charlie]}
              - {name: charlie, namespace: x, chart: ./c, depends_on: [delta]}
              - {name: delta, namespace: x, chart: ./c, depends_on: [bravo, ghost]}
            """);
    Cli cli = Cli.run("validate", "--file", plan.toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.out()).isEmpty();
    assertThat(cli.err())
        .isEqualTo(
            "error: "
                + plan
                + ":2:58: releases[0].depends_on: dependency cycle: bravo@x -> charlie@x -> delta@x -> bravo@x\n"
                + "error: "
                + plan
                + ":4:65: releases[2].depends_on[1]: release \"ghost\" is not in the plan (required by delta@x)\n"
                + "2 problems found\n");
  }

  @Test
  void warningsDoNotFailValidation() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write("deployer.yml", "releases: [{name: a, chart: ./c, values: [missing.yml]}]\n");
    Cli cli = Cli.run("validate", "-f", plan.toString());
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.err())
        .isEqualTo(
            "warning: "
                + plan
                + ":1:43: releases[0].values[0]: values file \"missing.yml\" does not exist; skipped\n");
  }

  @Test
  void rebuildingAPlanDirectoryThatLacksAManifestOrHoldsAStrayPlanfileIsInvalidInput()
      throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan = files.write("deployer.yml", "releases: [{name: a, namespace: x, chart: ./c}]\n");
    Path planDir = dir.resolve("plan");
    Cli first = Cli.run("build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(first.exitCode()).as(first.err()).isZero();
    String incomplete =
        ": the plan directory being replaced is incomplete; build --diff-mode none replaces it"
            + " without comparing\n";

    Files.delete(planDir.resolve("manifests/a@x.yml"));
    Cli again = Cli.run("build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(again.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(again.err())
        .isEqualTo(
            "error: "
                + planDir.resolve("planfile")
                + ": releases[0].manifest: manifests/a@x.yml is missing"
                + incomplete
                + "1 problem found\n");

    // A planfile on its own, as a repository that keeps only the planfile would hold it.
    Path stray = Files.createDirectories(dir.resolve("stray"));
    Files.copy(planDir.resolve("planfile"), stray.resolve("planfile"));
    Cli strayBuild = Cli.run("build", "-f", plan.toString(), "--plandir", stray.toString());
    assertThat(strayBuild.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(strayBuild.err())
        .isEqualTo(
            "error: "
                + stray.resolve("planfile")
                + ": releases[0].manifest: manifests/a@x.yml is missing"
                + incomplete
                + "1 problem found\n");

    Files.write(stray.resolve("planfile"), new byte[] {'r', 'e', (byte) 0xE9, '\n'});
    Cli notText = Cli.run("build", "-f", plan.toString(), "--plandir", stray.toString());
    assertThat(notText.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(notText.err())
        .isEqualTo(
            "error: "
                + stray.resolve("planfile")
                + ": is not UTF-8 text: not a planfile written by deployer\n1 problem found\n");

    Cli none =
        Cli.run(
            "build", "-f", plan.toString(), "--plandir", planDir.toString(), "--diff-mode", "none");
    assertThat(none.exitCode()).as(none.err()).isZero();
    assertThat(planDir.resolve("manifests/a@x.yml")).exists();
  }

  /** Bounded in its own thread: on a reader that opens the pipe it would wait forever. */
  @Test
  @org.junit.jupiter.api.Timeout(
      value = 10,
      threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void validateRefusesAPipeAtOnceAndFieldsBuildWouldRefuseWithExitTwo() throws Exception {
    Path fifo = dir.resolve("plan.fifo");
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
    Cli pipe = Cli.run("validate", "-f", fifo.toString());
    assertThat(pipe.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(pipe.err())
        .isEqualTo(
            "error: "
                + fifo
                + ": is a pipe, not a plan file; write the plan to a file and name that\n"
                + "1 problem found\n");

    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write(
            "deployer.yml",
            """
            monitors: [{name: k, type: kubernetes, kubernetes: {max_restarts: 2147483648}}]
            releases:
              - {name: a, chart: 'oci://registry.example', monitors: [k]}
              - {name: b, chart: ./c, offline_kube_version: banana}
            """);
    Cli cli = Cli.run("validate", "-f", plan.toString());
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.err())
        .isEqualTo(
            "error: "
                + plan
                + ":1:67: monitors[0].kubernetes.max_restarts: must be 0 or more, up to 2147483647\n"
                + "error: "
                + plan
                + ":3:22: releases[0].chart: \"oci://registry.example\" is not an OCI chart"
                + " reference; write it as oci://HOST[:PORT]/PATH/CHART, with :VERSION at the end"
                + " if you like\n"
                + "error: "
                + plan
                + ":4:49: releases[1].offline_kube_version: \"banana\" is not a Kubernetes version;"
                + " write it as 1.31.0 (or v1.31.0, 1.31)\n"
                + "3 problems found\n");
  }

  @Test
  void aMissingPlanFileIsInvalidInput() {
    Cli cli = Cli.run("validate", "-f", dir.resolve("deployer.yml").toString());
    assertThat(cli.exitCode()).isEqualTo(2);
    assertThat(cli.err())
        .startsWith("error: " + dir.resolve("deployer.yml") + ": the plan file does not exist\n");
  }

  @Test
  void graphShowsDeployOrderAsTextOrMermaid() {
    Cli text = Cli.run("graph", "-f", QUICKSTART);
    assertThat(text.exitCode()).isZero();
    assertThat(text.out())
        .isEqualTo(
            """
            db@shop
            api@shop  <- db@shop
            web@shop  <- api@shop
            3 releases, 2 dependencies
            """);
    Cli mermaid = Cli.run("graph", "-f", QUICKSTART, "--format", "mermaid", "--tags", "backend");
    assertThat(mermaid.out())
        .isEqualTo(
            """
            ```mermaid
            flowchart LR
              r0["db@shop"]
              r1["api@shop"]
              r0 --> r1
            ```
            """);
    Cli noDeps = Cli.run("graph", "-f", QUICKSTART, "-t", "frontend,data", "--no-deps");
    assertThat(noDeps.out())
        .isEqualTo(
            """
            db@shop
            web@shop  <- db@shop
            2 releases, 1 dependency
            """);
    Cli matchAll =
        Cli.run("graph", "-f", QUICKSTART, "-t", "frontend", "-t", "data", "--match-all-tags");
    assertThat(matchAll.out()).isEqualTo("0 releases, 0 dependencies\n");
  }

  @Test
  void schemaPrintsAJsonSchemaOrWritesIt() throws Exception {
    Cli cli = Cli.run("schema");
    assertThat(cli.exitCode()).isZero();
    var schema = new ObjectMapper().readTree(cli.out());
    assertThat(schema.at("/definitions/release/properties/depends_on").isMissingNode()).isFalse();
    Path out = dir.resolve("deployer.schema.json");
    assertThat(Cli.run("schema", "--output-file", out.toString()).exitCode()).isZero();
    assertThat(Files.readString(out)).isEqualTo(cli.out());
    Path fromEnv = dir.resolve("from-env.schema.json");
    assertThat(Cli.run(Map.of("DEPLOYER_OUTPUT_FILE", fromEnv.toString()), "schema").exitCode())
        .isZero();
    assertThat(Files.readString(fromEnv)).isEqualTo(cli.out());
  }

  @Test
  void theOutputFormatVariableOfUpAndStatusIsNotTheSchemaFile() throws Exception {
    // DEPLOYER_OUTPUT=json, set for up -o json in CI, once made schema write a file named json.
    Path json = Path.of("json").toAbsolutePath();
    assertThat(json).doesNotExist();
    try {
      Cli cli = Cli.run(Map.of("DEPLOYER_OUTPUT", "json"), "schema");
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(new ObjectMapper().readTree(cli.out()).has("definitions")).isTrue();
      assertThat(json).doesNotExist();
    } finally {
      Files.deleteIfExists(json);
    }
    Cli old = Cli.run("schema", "-o", dir.resolve("s.json").toString());
    assertThat(old.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(old.err()).contains("Unknown options: '-o'", "Possible solutions: --output-file");
  }

  @Test
  void validateChecksTheFileItIsGivenWhenAPlanDirectoryVariableIsSet() {
    // CI sets DEPLOYER_PLANDIR for up; -f on the command line still names what validate reads.
    Map<String, String> env = Map.of("DEPLOYER_PLANDIR", dir.resolve("no-plandir").toString());
    Cli cli = Cli.run(env, "validate", "-f", QUICKSTART);
    assertThat(cli.exitCode()).as(cli.err()).isZero();
    assertThat(cli.out())
        .isEqualTo(QUICKSTART + " is valid: 3 releases, 2 dependencies, 0 monitors\n");

    // Without -f, the variable names the plan directory to check.
    Cli dirOnly = Cli.run(env, "validate");
    assertThat(dirOnly.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(dirOnly.err()).contains(dir.resolve("no-plandir").resolve("planfile").toString());
  }

  @Test
  void aPlanFileAndAPlanDirectoryTogetherAreRefusedNamingBoth() {
    String planDir = dir.resolve("p").toString();
    for (String command : List.of("validate", "status", "list")) {
      Cli both = Cli.run(command, "-f", QUICKSTART, "--plandir", planDir);
      assertThat(both.exitCode()).as(command).isEqualTo(ExitCodes.INVALID);
      assertThat(both.err())
          .as(command)
          .startsWith("error: -f/--file and --plandir name two plans; give one of them\n");
    }
    Cli history = Cli.run("history", "web", "-f", QUICKSTART, "--plandir", planDir);
    assertThat(history.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(history.err()).contains("-f/--file and --plandir name two plans");

    Cli variables =
        Cli.run(Map.of("DEPLOYER_FILE", QUICKSTART, "DEPLOYER_PLANDIR", planDir), "validate");
    assertThat(variables.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(variables.err())
        .startsWith(
            "error: DEPLOYER_FILE and DEPLOYER_PLANDIR name two plans; give -f or --plandir to"
                + " say which\n");
  }

  @Test
  void flagVariablesTakeTheBooleanSpellingsOfShellsAndCi() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write("deployer.yml", "releases: [{name: a, chart: ./c, values: [missing.yml]}]\n");
    for (String on : List.of("1", "true", "yes", "ON")) {
      Cli quiet = Cli.run(Map.of("DEPLOYER_QUIET", on), "validate", "-f", plan.toString());
      assertThat(quiet.exitCode()).as("DEPLOYER_QUIET=" + on + ": " + quiet.err()).isZero();
      assertThat(quiet.err()).as("DEPLOYER_QUIET=" + on).isEmpty();
    }
    for (String off : List.of("0", "false", "no", "Off")) {
      Cli loud = Cli.run(Map.of("DEPLOYER_QUIET", off), "validate", "-f", plan.toString());
      assertThat(loud.exitCode()).as("DEPLOYER_QUIET=" + off + ": " + loud.err()).isZero();
      assertThat(loud.err()).as("DEPLOYER_QUIET=" + off).contains("warning: ");
    }
    Cli bad = Cli.run(Map.of("DEPLOYER_QUIET", "maybe"), "validate", "-f", plan.toString());
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(bad.err()).contains("--quiet", "maybe");
  }

  @Test
  void completionScriptCoversTheCommands() {
    Cli cli = Cli.run("completion", "bash");
    assertThat(cli.exitCode()).isZero();
    assertThat(cli.out())
        .contains("complete -F _complete_deployer", "validate", "--match-all-tags");
  }

  @Test
  void usageErrorsExitTwoWithASuggestion() {
    Cli cli = Cli.run("valdate");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.err())
        .contains("error: Unmatched argument at index 0: 'valdate'")
        .contains("validate");
    Cli badFormat = Cli.run("graph", "--format", "dot", "-f", QUICKSTART);
    assertThat(badFormat.exitCode()).isEqualTo(2);
    assertThat(badFormat.err()).contains("Invalid value for option '--format'");
  }

  @Test
  void noColorAndTheNoColorOptionTurnOffPicocliColoursToo() {
    // picocli colours only a terminal; its own property forces them on, as a terminal would.
    String before = System.getProperty("picocli.ansi");
    System.setProperty("picocli.ansi", "true");
    try {
      var plain = java.util.Map.of("PATH", System.getenv("PATH"));
      assertThat(Cli.run(plain, "up", "--help").out())
          .as("coloured on a terminal")
          .contains("\u001b[");
      assertThat(
              Cli.run(
                      java.util.Map.of("PATH", System.getenv("PATH"), "NO_COLOR", "1"),
                      "up",
                      "--help")
                  .out())
          .doesNotContain("\u001b[");
      assertThat(Cli.run(plain, "up", "--help", "--no-color").out()).doesNotContain("\u001b[");
      assertThat(Cli.run(plain, "--no-color", "up", "--help").out()).doesNotContain("\u001b[");
      assertThat(
              Cli.run(
                      java.util.Map.of("PATH", System.getenv("PATH"), "DEPLOYER_NO_COLOR", "true"),
                      "up",
                      "--help")
                  .out())
          .doesNotContain("\u001b[");
      // An empty NO_COLOR does not count (no-color.org).
      assertThat(
              Cli.run(
                      java.util.Map.of("PATH", System.getenv("PATH"), "NO_COLOR", ""),
                      "up",
                      "--help")
                  .out())
          .contains("\u001b[");
    } finally {
      if (before == null) {
        System.clearProperty("picocli.ansi");
      } else {
        System.setProperty("picocli.ansi", before);
      }
    }
  }
}
