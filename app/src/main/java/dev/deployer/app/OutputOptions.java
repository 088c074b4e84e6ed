package dev.deployer.app;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * How output is shown: the global flags. They are the root command's, inherited by every command,
 * so {@code deployer --no-color status} and {@code deployer status --no-color} set the same field.
 */
final class OutputOptions {
  enum LogFormat {
    text,
    json
  }

  /** The levels {@code --log-level} takes, as logback names them. */
  enum LogLevel {
    error,
    warn,
    info,
    debug
  }

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      scope = ScopeType.INHERIT,
      description = "Progress format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  LogFormat logFormat;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "Plain output without ANSI colours.")
  boolean noColor;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Only errors and the final report: no progress lines, no warnings.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Debug logs on standard error (as --log-level debug).")
  boolean verbose;

  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      scope = ScopeType.INHERIT,
      description =
          "Logs shown on standard error: ${COMPLETION-CANDIDATES} (default: warn; -q means error).")
  LogLevel logLevel;

  /** The root command's options, wherever on the command line they were given. */
  static OutputOptions of(CommandSpec spec) {
    return ((DeployerCommand) spec.root().userObject()).output;
  }

  /**
   * Colour on standard error only when it is a terminal, and neither with {@code --no-color} nor
   * with a non-empty {@code NO_COLOR} (no-color.org).
   */
  boolean color(java.util.Map<String, String> environment) {
    return !noColor && !noColorVariable(environment) && isTerminal(2);
  }

  /** {@link #color} for standard output, where diffs are printed. */
  boolean colorOnStdout(java.util.Map<String, String> environment) {
    return !noColor && !noColorVariable(environment) && isTerminal(1);
  }

  /**
   * Whether a file descriptor of this process is a terminal. {@link System#console()} says only
   * that standard input and output both are: with {@code 2>file} on a terminal, colour and the
   * progress block would end up in the file. Where {@code /proc} does not say, the console does.
   */
  static boolean isTerminal(int fd) {
    try {
      String target =
          java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd))
              .toString();
      return target.startsWith("/dev/pts/")
          || target.startsWith("/dev/tty")
          || target.equals("/dev/console");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return System.console() != null;
    }
  }

  static boolean noColorVariable(java.util.Map<String, String> environment) {
    String value = environment.get("NO_COLOR");
    return value != null && !value.isEmpty();
  }

  /**
   * The logback level these options ask for, or null to keep the configured one: {@code -v} is
   * debug, {@code -q} error, else {@code --log-level} (or {@code DEPLOYER_LOG_LEVEL}).
   */
  LogLevel level() {
    return verbose ? LogLevel.debug : quiet ? LogLevel.error : logLevel;
  }
}
