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

  boolean color() {
    return !noColor && System.getenv("NO_COLOR") == null && System.console() != null;
  }
}
