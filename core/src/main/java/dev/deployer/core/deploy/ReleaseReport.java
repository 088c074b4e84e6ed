package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of the report at the end of a run.
 *
 * @param outcome how the release ended; {@link Outcome#word()} is what users see
 * @param renderDrift how Helm's deploy-time render differed from the reviewed one: the resources
 *     and their diff, Secret values redacted; empty when it did not (or was not compared)
 * @param undone {@code up} deployed the release, then took it back or tried to: a failed monitor's
 *     action or {@code --rollback-on-failure plan}
 */
public record ReleaseReport(
    String release,
    Outcome outcome,
    Optional<Integer> revisionBefore,
    Optional<Integer> revisionAfter,
    Duration duration,
    Optional<String> reason,
    Optional<String> renderDrift,
    boolean undone) {

  public ReleaseReport {
    Objects.requireNonNull(renderDrift, "renderDrift");
  }

  public ReleaseReport(
      String release,
      Outcome outcome,
      Optional<Integer> revisionBefore,
      Optional<Integer> revisionAfter,
      Duration duration,
      Optional<String> reason) {
    this(
        release, outcome, revisionBefore, revisionAfter, duration, reason, Optional.empty(), false);
  }

  /**
   * The release ended as its command meant it to: its outcome is {@link Outcome#ok()}, and {@code
   * up} did not undo it (a release a failed monitor rolled back is not what {@code up} was asked
   * for, though {@code rollback} is done when it rolls one back).
   */
  public boolean ok() {
    return outcome.ok() && !undone;
  }
}
