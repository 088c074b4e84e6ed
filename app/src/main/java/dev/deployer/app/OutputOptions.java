package dev.deployer.app;

import picocli.CommandLine.Option;

/** How output is shown; shared by every command. */
final class OutputOptions {
  enum LogFormat {
    text,
    json
  }

  @Option(
      names = "--log-format",
      defaultValue = "text",
      description = "Progress format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(names = "--no-color", description = "Plain output without ANSI colours.")
  boolean noColor;

  /**
   * Colour only on a terminal, and neither with {@code --no-color} nor with a non-empty {@code
   * NO_COLOR} (no-color.org).
   */
  boolean color(java.util.Map<String, String> environment) {
    return !noColor && !noColorVariable(environment) && System.console() != null;
  }

  static boolean noColorVariable(java.util.Map<String, String> environment) {
    String value = environment.get("NO_COLOR");
    return value != null && !value.isEmpty();
  }
}
