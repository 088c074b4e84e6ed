package dev.deployer.core.helm;

import dev.deployer.core.plan.WaitStrategy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code helm uninstall}: pre/post-delete hooks, resource policies, then the release's records.
 *
 * @param keepHistory keep the records, marked {@code uninstalled}
 * @param deletionPropagation {@code background} (Helm's default), {@code foreground} or {@code
 *     orphan}
 */
public record UninstallRequest(
    ReleaseRef release,
    WaitStrategy waitStrategy,
    Duration timeout,
    boolean keepHistory,
    boolean disableHooks,
    Optional<String> deletionPropagation,
    String description) {

  public UninstallRequest {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(waitStrategy, "waitStrategy");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(deletionPropagation, "deletionPropagation");
    description = Objects.requireNonNullElse(description, "");
  }

  /** An uninstall with Helm's defaults. */
  public static UninstallRequest of(ReleaseRef release, Duration timeout) {
    return new UninstallRequest(
        release, WaitStrategy.HOOK_ONLY, timeout, false, false, Optional.empty(), "");
  }
}
