package dev.deployer.app;

import picocli.CommandLine.Option;

/** {@code --progress}, for the commands that work on releases while a person may watch. */
final class ProgressOptions {
  enum Mode {
    auto,
    tty,
    plain,
    none
  }

  @Option(
      names = "--progress",
      paramLabel = "MODE",
      defaultValue = "auto",
      description =
          "Progress on standard error: tty (a block redrawn in place, one line per running"
              + " release), plain (a line per change, a heartbeat while a release waits), none;"
              + " auto is tty on a terminal, else plain (default: ${DEFAULT-VALUE}). Not used"
              + " with --log-format json.")
  Mode mode = Mode.auto;
}
