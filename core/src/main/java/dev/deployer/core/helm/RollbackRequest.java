package dev.deployer.core.helm;

import dev.deployer.core.plan.WaitStrategy;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@code helm rollback}: the target revision's manifest applied with Helm's merge, its rollback
 * hooks run, a new revision recorded.
 *
 * @param revision the revision to go back to; 0 for the one before the current one
 */
public record RollbackRequest(
    ReleaseRef release,
    int revision,
    WaitStrategy waitStrategy,
    boolean waitForJobs,
    Duration timeout,
    boolean cleanupOnFail,
    boolean force,
    boolean disableHooks,
    int maxHistory,
    String description) {

  public RollbackRequest {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(waitStrategy, "waitStrategy");
    Objects.requireNonNull(timeout, "timeout");
    description = Objects.requireNonNullElse(description, "");
  }

  /** A rollback to {@code revision} with Helm's defaults. */
  public static RollbackRequest to(ReleaseRef release, int revision, Duration timeout) {
    return new RollbackRequest(
        release, revision, WaitStrategy.HOOK_ONLY, false, timeout, false, false, false, 10, "");
  }
}
