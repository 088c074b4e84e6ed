package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ReleaseTask} reports: which kind of success, or a failure with its reason. A task
 * may also fail by throwing; the scheduler turns the exception into a failure.
 *
 * @param outcome an outcome that {@link Outcome#ran()}: one of the command's verb ({@code
 *     deployed}, {@code unchanged}, {@code uninstalled}, {@code not installed}, {@code rolled
 *     back}) or {@code failed}
 * @param reason why the release failed, or a short note on a success
 */
public record TaskResult(Outcome outcome, Optional<String> reason) {

  public TaskResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    if (!outcome.ran()) {
      throw new IllegalArgumentException(
          "a task ends deployed, unchanged, rolled back, uninstalled, not installed or failed, not "
              + outcome.word());
    }
  }

  public static TaskResult deployed() {
    return new TaskResult(Outcome.DEPLOYED, Optional.empty());
  }

  /** A success of the command's own verb, with no note. */
  public static TaskResult of(Outcome outcome) {
    return new TaskResult(outcome, Optional.empty());
  }

  public static TaskResult failed(String reason) {
    return new TaskResult(Outcome.FAILED, Optional.of(reason));
  }
}
