package dev.deployer.core.helm;

import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@code helm rollback}: the target revision's manifest applied with Helm's merge, its rollback
 * hooks run, a new revision recorded.
 *
 * @param revision the revision to go back to; 0 for the one before the current one
 * @param deployment how Helm applies and waits: the release's own deploy options (its wait,
 *     timeout, {@code cleanup_on_fail}, {@code force}, {@code disable_hooks}, {@code max_history})
 */
public record RollbackRequest(ReleaseRef release, int revision, Release.Deployment deployment) {

  public RollbackRequest {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(deployment, "deployment");
  }

  /** A rollback to {@code revision} with Helm's defaults and this timeout. */
  public static RollbackRequest to(ReleaseRef release, int revision, Duration timeout) {
    return new RollbackRequest(release, revision, Release.Deployment.DEFAULTS.withTimeout(timeout));
  }
}
