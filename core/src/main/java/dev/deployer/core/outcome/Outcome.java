package dev.deployer.core.outcome;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How a release ended in a run. The scheduler's tasks end as their command's verb says ({@code up}:
 * {@link #DEPLOYED} or {@link #UNCHANGED}; {@code down}: {@link #UNINSTALLED} or {@link
 * #NOT_INSTALLED}; {@code rollback}: {@link #ROLLED_BACK}) or {@link #FAILED}, and the scheduler
 * adds {@link #SKIPPED} and {@link #CANCELLED}; the other values are what a report says of a
 * release after a monitor's action, or in a dry run. Words for users come from {@link #word()}
 * only.
 */
public enum Outcome {
  /** The task ran and changed the release. */
  DEPLOYED,
  /** The task ran and found nothing to change. */
  UNCHANGED,
  /** The task ran and failed, or threw. */
  FAILED,
  /** Not run: a release it depends on failed. */
  SKIPPED,
  /** Not run: the run was cancelled before the release could start. */
  CANCELLED,
  /** Taken back to an earlier revision ({@code rollback}, or a monitor's or the plan's undo). */
  ROLLED_BACK,
  /** Uninstalled ({@code down}, or a monitor's action). */
  UNINSTALLED,
  /** Nothing to do: the release is not installed. */
  NOT_INSTALLED,
  /** Not undone: the live revision is not this run's, or this run did not change it. */
  LEFT_ALONE,
  /** Dry run: the release would be installed. */
  WOULD_INSTALL,
  /** Dry run: the release would be upgraded. */
  WOULD_UPGRADE,
  /** Dry run: the release is pending and {@code pending_release_strategy} would decide. */
  WOULD_RESOLVE,
  /** Dry run: the upgrade would be refused ({@code --require-reviewed}). */
  WOULD_REFUSE,
  /** Dry run: the release would be uninstalled. */
  WOULD_UNINSTALL,
  /** Dry run: the release would be rolled back. */
  WOULD_ROLL_BACK;

  /**
   * The task ran and succeeded, so the releases that wait for it (its dependents, or in {@code
   * down} and {@code rollback} its dependencies) may start.
   */
  public boolean succeeded() {
    return switch (this) {
      case DEPLOYED, UNCHANGED, ROLLED_BACK, UNINSTALLED, NOT_INSTALLED -> true;
      default -> false;
    };
  }

  /** The task ran, whatever its result: what a task may report. */
  public boolean ran() {
    return succeeded() || this == FAILED;
  }

  /**
   * The release ended as the command meant it to: deployed, unchanged, uninstalled, rolled back,
   * not installed, or (dry run) would change without refusal.
   */
  public boolean ok() {
    return switch (this) {
      case DEPLOYED,
          UNCHANGED,
          ROLLED_BACK,
          UNINSTALLED,
          NOT_INSTALLED,
          WOULD_INSTALL,
          WOULD_UPGRADE,
          WOULD_RESOLVE,
          WOULD_UNINSTALL,
          WOULD_ROLL_BACK ->
          true;
      case FAILED, SKIPPED, CANCELLED, LEFT_ALONE, WOULD_REFUSE -> false;
    };
  }

  /** The word users see: {@code deployed}, {@code rolled back}, {@code would install}, ... */
  @JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String toString() {
    return word();
  }
}
