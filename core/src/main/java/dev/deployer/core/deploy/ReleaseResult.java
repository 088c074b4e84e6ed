package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What happened to one release.
 *
 * @param release the release's unique name
 * @param reason why it failed, was skipped or cancelled; a note from the task on a success
 * @param started when its task started; empty when it did not run
 * @param finished when its task ended; empty when it did not run
 * @param duration how long its task ran, zero when it did not run
 * @param failureAllowed it failed, and its {@code allow_failure} let its dependents go on
 * @param error what the task threw, when it failed that way
 */
public record ReleaseResult(
    String release,
    Outcome outcome,
    Optional<String> reason,
    Optional<Instant> started,
    Optional<Instant> finished,
    Duration duration,
    boolean failureAllowed,
    Optional<Throwable> error) {

  public ReleaseResult {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(finished, "finished");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(error, "error");
  }

  /** A release that did not run: skipped or cancelled. */
  static ReleaseResult notRun(String release, Outcome outcome, String reason) {
    return new ReleaseResult(
        release,
        outcome,
        Optional.of(reason),
        Optional.empty(),
        Optional.empty(),
        Duration.ZERO,
        false,
        Optional.empty());
  }

  /**
   * The outcome and its reason as one line, such as {@code skipped: dependency api@shop failed}.
   */
  public String summary() {
    return outcome.word() + reason.map(r -> ": " + r).orElse("");
  }
}
