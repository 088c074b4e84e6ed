package dev.deployer.core.deploy;

import dev.deployer.core.graph.Selection;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What {@code deployer up} is asked to do.
 *
 * @param planDir the plan directory to deploy, exactly as built
 * @param parallelLimit Helm operations at once; {@link ReleaseScheduler#UNLIMITED} for no limit
 * @param allowStale deploy even when releases changed in the cluster since the build
 * @param rollbackPlanOnFailure when a release fails, roll back every release this run changed
 * @param rollbackScope how far a failed monitor's rollback reaches
 * @param lockTimeout how long to wait for another run's lock on a release
 * @param forceUpgrade upgrade releases even when nothing about them changed
 * @param requireReviewed refuse a release whose deploy-time render differs from the reviewed one
 * @param dryRun only say what would be done: nothing is changed, no hook runs
 * @param restart releases ({@code name} or {@code name@namespace}) whose workloads are restarted
 *     after their upgrade, even when nothing changed, as {@code rollout_restart: true} does
 */
public record UpRequest(
    Path planDir,
    Selection selection,
    int parallelLimit,
    boolean allowStale,
    boolean rollbackPlanOnFailure,
    RollbackScope rollbackScope,
    Duration lockTimeout,
    boolean forceUpgrade,
    boolean requireReviewed,
    boolean dryRun,
    java.util.List<String> restart) {

  public UpRequest {
    restart = java.util.List.copyOf(restart);
  }

  /** A request that upgrades only what changed, reports render differences, and deploys. */
  public UpRequest(
      Path planDir,
      Selection selection,
      int parallelLimit,
      boolean allowStale,
      boolean rollbackPlanOnFailure,
      RollbackScope rollbackScope,
      Duration lockTimeout) {
    this(
        planDir,
        selection,
        parallelLimit,
        allowStale,
        rollbackPlanOnFailure,
        rollbackScope,
        lockTimeout,
        false,
        false,
        false,
        java.util.List.of());
  }

  /**
   * A plain {@code up}: every release, no parallel limit, no stale deploy, a failure rolls back
   * only its own release.
   */
  public static UpRequest of(Path planDir, Duration lockTimeout) {
    return new UpRequest(
        planDir,
        Selection.ALL,
        ReleaseScheduler.UNLIMITED,
        false,
        false,
        RollbackScope.RELEASE,
        lockTimeout);
  }

  public UpRequest withForceUpgrade(boolean value) {
    return dev.deployer.core.plan.Records.with(this, "forceUpgrade", value);
  }

  public UpRequest withRequireReviewed(boolean value) {
    return dev.deployer.core.plan.Records.with(this, "requireReviewed", value);
  }

  public UpRequest withDryRun(boolean value) {
    return dev.deployer.core.plan.Records.with(this, "dryRun", value);
  }

  public UpRequest withRestart(java.util.List<String> value) {
    return dev.deployer.core.plan.Records.with(this, "restart", value);
  }
}
