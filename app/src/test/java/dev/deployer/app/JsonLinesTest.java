package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.core.PlanFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --log-format json} without a cluster: invalid input, warnings and usage errors. */
class JsonLinesTest {
  @TempDir Path dir;

  static List<String> events(List<JsonNode> lines) {
    return lines.stream().map(l -> l.path("event").asText()).toList();
  }

  @Test
  void anInvalidPlanIsOneLinePerProblemThenTheErrorThatEndsTheCommand() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write(
            "deployer.yml",
            """
            releases:
              - {name: bravo, namespace: x, chart: ./c, depends_on: [ghost], values: [missing.yml]}
              - {name: bravo, namespace: x, chart: ./c}
            """);
    Cli cli = Cli.run("validate", "--file", plan.toString(), "--log-format", "json");
    assertThat(cli.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(cli.out()).isEmpty();
    List<JsonNode> lines = cli.errLines();
    assertThat(events(lines)).contains("problem").endsWith("error");
    JsonNode problem =
        lines.stream()
            .filter(l -> l.path("event").asText().equals("problem"))
            .findFirst()
            .orElseThrow();
    assertThat(problem.path("level").asText()).isEqualTo("error");
    assertThat(problem.path("location").asText()).startsWith(plan + ":");
    assertThat(problem.path("field").asText()).startsWith("releases[");
    JsonNode end = lines.get(lines.size() - 1);
    assertThat(end.path("exit_code").asInt()).isEqualTo(ExitCodes.INVALID);
    assertThat(end.path("message").asText()).endsWith("problems found");
  }

  @Test
  void aWarningIsALineAtLevelWarn() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("c");
    Path plan =
        files.write("deployer.yml", "releases: [{name: a, chart: ./c, values: [missing.yml]}]\n");
    Cli cli = Cli.run("validate", "-f", plan.toString(), "--log-format=json");
    assertThat(cli.exitCode()).isZero();
    List<JsonNode> lines = cli.errLines();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0).path("event").asText()).isEqualTo("warning");
    assertThat(lines.get(0).path("level").asText()).isEqualTo("warn");
    assertThat(lines.get(0).path("field").asText()).isEqualTo("releases[0].values[0]");
    assertThat(lines.get(0).path("message").asText())
        .isEqualTo("values file \"missing.yml\" does not exist; skipped");
  }

  @Test
  void aMissingPlanFileOrPlanDirectoryIsAnErrorLine() {
    Cli validate =
        Cli.run("validate", "-f", dir.resolve("deployer.yml").toString(), "--log-format", "json");
    assertThat(validate.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(validate.errLines())
        .last()
        .satisfies(
            l -> {
              assertThat(l.path("event").asText()).isEqualTo("error");
              assertThat(l.path("exit_code").asInt()).isEqualTo(2);
            });
    Cli up =
        Cli.run(
            Map.of("KUBECONFIG", dir.resolve("none").toString()),
            "up",
            "--plandir",
            dir.resolve("nothing").toString(),
            "--log-format",
            "json",
            "-o",
            "json");
    assertThat(up.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(events(up.errLines())).endsWith("error");
  }

  @Test
  void usageErrorsAreErrorLinesWhereverTheFormatIsAskedFor() {
    for (Cli cli :
        List.of(
            Cli.run("up", "--plandir", "nowhere", "--parallel-limit", "-1", "--log-format", "json"),
            Cli.run("up", "--log-format", "json", "--no-such-option"),
            Cli.run("--log-format=json", "valdate"),
            Cli.run(Map.of("DEPLOYER_LOG_FORMAT", "json"), "status", "--bogus"))) {
      assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.INVALID);
      List<JsonNode> lines = cli.errLines();
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).path("event").asText()).isEqualTo("error");
      assertThat(lines.get(0).path("exit_code").asInt()).isEqualTo(ExitCodes.INVALID);
      assertThat(lines.get(0).path("message").asText()).isNotEmpty();
      assertThat(lines.get(0).path("hint").asText()).isNotEmpty();
    }
    assertThat(
            Cli.run(Map.of("DEPLOYER_LOG_FORMAT", "json"), "valdate")
                .errLines()
                .get(0)
                .path("hint")
                .asText())
        .contains("validate");
  }

  @Test
  void aMonitorActionIsALineWhenItStartsAndWhenItEnds() {
    JsonNode started =
        Cli.jsonLines(
                Console.jsonLine(
                        new dev.deployer.core.event.Event.MonitorActionStarted(
                            "api@shop", "rollback", "monitor health failed"))
                    .toString())
            .get(0);
    assertThat(started.path("event").asText()).isEqualTo("monitor_action_started");
    assertThat(started.path("level").asText()).isEqualTo("warn");
    assertThat(started.path("release").asText()).isEqualTo("api@shop");
    assertThat(started.path("action").asText()).isEqualTo("rollback");
    assertThat(started.path("reason").asText()).isEqualTo("monitor health failed");

    JsonNode done =
        Cli.jsonLines(
                Console.jsonLine(
                        new dev.deployer.core.event.Event.MonitorActionFinished(
                            "api@shop",
                            "rollback",
                            dev.deployer.core.outcome.Outcome.ROLLED_BACK,
                            java.util.Optional.of(3),
                            java.time.Duration.ofMillis(2300),
                            java.util.Optional.empty()))
                    .toString())
            .get(0);
    assertThat(done.path("event").asText()).isEqualTo("monitor_action_finished");
    assertThat(done.path("level").asText()).isEqualTo("warn");
    assertThat(done.path("outcome").asText()).isEqualTo("rolled back");
    assertThat(done.path("revision").asInt()).isEqualTo(3);
    assertThat(done.path("took").asText()).isEqualTo("PT2.3S");
    assertThat(done.path("reason").isNull()).isTrue();

    JsonNode failed =
        Cli.jsonLines(
                Console.jsonLine(
                        new dev.deployer.core.event.Event.MonitorActionFinished(
                            "api@shop",
                            "rollback",
                            dev.deployer.core.outcome.Outcome.FAILED,
                            java.util.Optional.empty(),
                            java.time.Duration.ofMillis(100),
                            java.util.Optional.of("rollback failed: boom")))
                    .toString())
            .get(0);
    assertThat(failed.path("level").asText()).isEqualTo("error");
    assertThat(failed.path("revision").isNull()).isTrue();
    assertThat(failed.path("reason").asText()).isEqualTo("rollback failed: boom");
  }

  @Test
  void logRecordsAreLinesOfTheirOwnWhenJsonIsAsked() {
    var context = new ch.qos.logback.classic.LoggerContext();
    var text = new ch.qos.logback.classic.PatternLayout();
    text.setContext(context);
    text.setPattern("%level %msg%n");
    text.start();
    var layout = new LogConfigurator.JsonOrText(text);
    var event =
        new ch.qos.logback.classic.spi.LoggingEvent(
            "x",
            context.getLogger("dev.deployer.core.kube.ReleaseLock"),
            ch.qos.logback.classic.Level.WARN,
            "lost the lock of release {}",
            new IllegalStateException("gone"),
            new Object[] {"api"});
    boolean before = JsonLines.processWide();
    try {
      JsonLines.processWide(false);
      assertThat(layout.doLayout(event)).startsWith("WARN lost the lock of release api");
      JsonLines.processWide(true);
      String line = layout.doLayout(event);
      assertThat(line).endsWith(System.lineSeparator());
      JsonNode node = Cli.jsonLines(line).get(0);
      assertThat(node.path("level").asText()).isEqualTo("warn");
      assertThat(node.path("event").asText()).isEqualTo("log");
      assertThat(node.path("logger").asText()).isEqualTo("dev.deployer.core.kube.ReleaseLock");
      assertThat(node.path("message").asText()).isEqualTo("lost the lock of release api");
      assertThat(node.path("stack_trace").asText()).contains("IllegalStateException: gone");
    } finally {
      JsonLines.processWide(before);
    }
  }
}
