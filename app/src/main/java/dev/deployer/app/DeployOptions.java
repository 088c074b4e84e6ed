package dev.deployer.app;

import dev.deployer.core.plan.GoDuration;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options of the commands that change releases in a cluster. */
final class DeployOptions {
  @Option(
      names = "--parallel-limit",
      paramLabel = "N",
      defaultValue = "10",
      description = "Helm operations at once; 0 for no limit (default: ${DEFAULT-VALUE}).")
  int parallelLimit;

  @Option(
      names = "--lock-timeout",
      paramLabel = "DURATION",
      defaultValue = "1m",
      description =
          "How long to wait for another run's lock on a release (default: ${DEFAULT-VALUE}).")
  String lockTimeout;

  Duration lockTimeout() {
    return GoDuration.parse(lockTimeout);
  }
}
