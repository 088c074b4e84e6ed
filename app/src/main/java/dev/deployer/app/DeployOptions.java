package dev.deployer.app;

import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that change releases in a cluster. */
final class DeployOptions {
  @Option(
      names = "--parallel-limit",
      paramLabel = "N",
      defaultValue = "10",
      converter = OptionTypes.NonNegative.class,
      description = "Helm operations at once; 0 for no limit (default: ${DEFAULT-VALUE}).")
  int parallelLimit;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "1m",
      converter = OptionTypes.GoDurationValue.class,
      description =
          "How long to wait for another run's lock on a release (default: ${DEFAULT-VALUE}).")
  Duration lockTimeout;

  @Option(
      names = "--grace",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = OptionTypes.GoDurationValue.class,
      description =
          "After SIGINT or SIGTERM, how long running Helm operations may take to end before"
              + " deployer exits anyway (default: ${DEFAULT-VALUE}).")
  Duration grace;

  Duration lockTimeout() {
    return lockTimeout;
  }
}
