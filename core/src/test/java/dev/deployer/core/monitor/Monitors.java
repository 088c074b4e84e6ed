package dev.deployer.core.monitor;

import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Monitor;
import java.nio.file.Path;
import java.time.Duration;

/** Monitors for tests; the probe settings do not matter to the runner. */
final class Monitors {
  private Monitors() {}

  static Monitor monitor(
      String name,
      Duration interval,
      Duration iterationTimeout,
      Duration totalTimeout,
      int successThreshold,
      int failureThreshold) {
    return monitor(
        name,
        interval,
        iterationTimeout,
        totalTimeout,
        successThreshold,
        failureThreshold,
        Monitor.OnError.ERROR);
  }

  static Monitor monitor(
      String name,
      Duration interval,
      Duration iterationTimeout,
      Duration totalTimeout,
      int successThreshold,
      int failureThreshold,
      Monitor.OnError onError) {
    return Monitor.of(
            name,
            new Monitor.KubernetesProbe(0, true, Duration.ofMinutes(5)),
            Location.of(Path.of("deployer.yml")))
        .withInterval(interval)
        .withTimeouts(iterationTimeout, totalTimeout)
        .withThresholds(successThreshold, failureThreshold)
        .withOnError(onError);
  }
}
