package dev.deployer.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process, as a user would from a terminal, and keeps what it printed. */
record Cli(int exitCode, String out, String err) {

  static Cli run(String... args) {
    return run(System.getenv(), args);
  }

  static Cli run(java.util.Map<String, String> environment, String... args) {
    return runIn(java.nio.file.Path.of(""), environment, args);
  }

  /** Runs a command line as from {@code workingDirectory} (whose {@code .env} it loads). */
  static Cli runIn(
      java.nio.file.Path workingDirectory,
      java.util.Map<String, String> environment,
      String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment,
            workingDirectory,
            args);
    return new Cli(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /**
   * Standard error of a {@code --log-format json} run, parsed: fails unless every line is one JSON
   * object with {@code time} (UTC, to the millisecond), {@code level} and {@code event}.
   */
  java.util.List<com.fasterxml.jackson.databind.JsonNode> errLines() {
    var mapper =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    java.util.List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
    for (String line : err.lines().toList()) {
      com.fasterxml.jackson.databind.JsonNode node;
      try {
        node = mapper.readTree(line);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new AssertionError("not JSON: " + line + "\n(standard error:\n" + err + ")", e);
      }
      org.assertj.core.api.Assertions.assertThat(node.isObject()).as(line).isTrue();
      org.assertj.core.api.Assertions.assertThat(node.path("time").asText())
          .as(line)
          .matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
      org.assertj.core.api.Assertions.assertThat(node.path("level").asText())
          .as(line)
          .isIn("debug", "info", "warn", "error");
      org.assertj.core.api.Assertions.assertThat(node.path("event").asText())
          .as(line)
          .matches("[a-z]+(_[a-z]+)*");
      lines.add(node);
    }
    return lines;
  }

  /** {@link #errLines} of a run's standard error as another process wrote it. */
  static java.util.List<com.fasterxml.jackson.databind.JsonNode> jsonLines(String err) {
    return new Cli(0, "", err).errLines();
  }
}
