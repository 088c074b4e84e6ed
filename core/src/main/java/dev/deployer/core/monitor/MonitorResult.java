package dev.deployer.core.monitor;

import dev.deployer.core.outcome.MonitorOutcome;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How one monitor ended, as data for the report and the failure actions.
 *
 * @param monitor the monitor's name
 * @param reason why, in a line: {@code 3 consecutive failures: <last detail>}, {@code total timeout
 *     5m reached after 12 probes}, {@code cancelled: SIGINT}
 * @param probes how many probes ended (succeeded, failed, errored or timed out); skipped ones do
 *     not count
 * @param failures how many of them failed: the backend answered, and the answer was bad
 * @param errors how many of them could not reach their backend (with {@code on_error: fail} they
 *     also count as failures for the streaks, but only here)
 * @param lastResult what the last probe that ended found; empty when none did
 * @param took from the monitor's start to its end
 */
public record MonitorResult(
    String monitor,
    MonitorOutcome outcome,
    String reason,
    int probes,
    int failures,
    int errors,
    Optional<ProbeResult> lastResult,
    Duration took) {
  public MonitorResult {
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(lastResult, "lastResult");
    Objects.requireNonNull(took, "took");
  }

  public boolean passed() {
    return outcome == MonitorOutcome.PASSED;
  }

  /** A result without probes: the monitor could not start, or was cancelled first. */
  public static MonitorResult withoutProbes(String monitor, MonitorOutcome outcome, String reason) {
    return new MonitorResult(monitor, outcome, reason, 0, 0, 0, Optional.empty(), Duration.ZERO);
  }
}
