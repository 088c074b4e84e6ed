package dev.deployer.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code --log-format json}: standard error as one JSON object per line, each with {@code time}
 * (UTC, to the millisecond), {@code level} ({@code debug}, {@code info}, {@code warn} or {@code
 * error}) and {@code event}, then the event's own fields. Core's events, warnings, the errors and
 * refusals that end a command, signals and logback's records all take this form, so that a log
 * collector never meets a line it cannot parse.
 */
final class JsonLines {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          // Fields as the event names and -o json have them: waiting_for, not waitingFor.
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /**
   * Whether the process's own messages (signals, logback) are JSON: set from the command line as
   * soon as it is known. Messages that belong to one command line use {@link #wanted(CommandLine)}.
   */
  private static volatile boolean processWide;

  private JsonLines() {}

  /** A line's start: {@code time}, {@code level} and {@code event}, for its fields to follow. */
  static ObjectNode line(String level, String event) {
    return line(Instant.now(), level, event);
  }

  static ObjectNode line(Instant time, String level, String event) {
    ObjectNode line = JSON.createObjectNode();
    line.put("time", TIME.format(time));
    line.put("level", level);
    line.put("event", event);
    return line;
  }

  /** {@code ReleaseFinished} as {@code release_finished}. */
  static String eventName(Class<?> type) {
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }

  /** Prints a line that ends a command: {@code {"event":"refused","message":..,"exit_code":4}}. */
  static void printEnd(PrintWriter err, String event, String message, int exitCode) {
    ObjectNode line = line("error", event);
    line.put("message", message);
    line.put("exit_code", exitCode);
    err.println(line.toString());
    err.flush();
  }

  /**
   * Whether {@code cli}'s command, as parsed, asked for JSON; for a command line that could not be
   * parsed (a usage error), whether its words or environment ask for it.
   */
  static boolean wanted(CommandLine cli) {
    CommandLine.Model.OptionSpec option = cli.getCommandSpec().findOption("--log-format");
    if (option != null && option.getValue() != null) {
      return option.getValue() == OutputOptions.LogFormat.json;
    }
    return processWide;
  }

  /**
   * Whether a command line asks for JSON before picocli has parsed it: {@code --log-format json},
   * {@code --log-format=json} or {@code DEPLOYER_LOG_FORMAT=json}; the command line wins.
   */
  static boolean requested(String[] args, Map<String, String> environment) {
    String format = environment.getOrDefault("DEPLOYER_LOG_FORMAT", "");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--")) {
        break;
      }
      if (args[i].equals("--log-format") && i + 1 < args.length) {
        format = args[i + 1];
      } else if (args[i].startsWith("--log-format=")) {
        format = args[i].substring("--log-format=".length());
      }
    }
    return format.equalsIgnoreCase("json");
  }

  /** Sets whether the process's own messages are JSON (see {@link #processWide()}). */
  static void processWide(boolean json) {
    processWide = json;
  }

  static boolean processWide() {
    return processWide;
  }
}
