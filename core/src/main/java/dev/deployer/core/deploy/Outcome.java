package dev.deployer.core.deploy;

import java.util.Locale;

/** How a release ended in one run of the scheduler. */
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
  CANCELLED;

  /** The task ran and succeeded, so dependents may start. */
  public boolean succeeded() {
    return this == DEPLOYED || this == UNCHANGED;
  }

  /** The task ran, whatever its result. */
  public boolean ran() {
    return this == DEPLOYED || this == UNCHANGED || this == FAILED;
  }

  /** The word users see: {@code deployed}, {@code skipped}, ... */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
