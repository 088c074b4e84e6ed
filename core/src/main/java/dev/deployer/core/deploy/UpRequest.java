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
 */
public record UpRequest(
    Path planDir,
    Selection selection,
    int parallelLimit,
    boolean allowStale,
    boolean rollbackPlanOnFailure,
    RollbackScope rollbackScope,
    Duration lockTimeout) {}
