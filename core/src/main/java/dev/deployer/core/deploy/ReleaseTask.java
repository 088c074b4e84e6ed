package dev.deployer.core.deploy;

import dev.deployer.core.plan.Release;

/**
 * The work done for one release, such as a Helm upgrade. Called at most once per release and run,
 * on a thread of the scheduler's own; several tasks run at once, so implementations must be
 * thread-safe.
 */
@FunctionalInterface
public interface ReleaseTask {

  /**
   * Does the release's work. Whatever this throws is a failure of this release only, reported with
   * the exception's message.
   */
  TaskResult run(Release release) throws Exception;
}
