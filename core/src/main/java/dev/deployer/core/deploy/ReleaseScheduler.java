package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;

/**
 * Runs one task per release of a graph. A release starts the moment every release it depends on has
 * succeeded (or failed with {@code allow_failure}), with no barrier between layers of the graph; at
 * most {@code parallelLimit} tasks run at once, and releases ready together start in graph order. A
 * failed release skips every release that depends on it, directly or not; the others go on.
 */
public interface ReleaseScheduler {
  /** The parallel limit that means no limit. */
  int UNLIMITED = 0;

  /**
   * A scheduler that runs at most {@code parallelLimit} tasks at once, or any number with {@link
   * #UNLIMITED}.
   */
  static ReleaseScheduler create(int parallelLimit) {
    return new DagScheduler(parallelLimit);
  }

  /**
   * Runs {@code task} for the releases of {@code graph} and waits until every task started has
   * ended. Never throws for a task's failure: each release's fate is in the result. Reports {@link
   * dev.deployer.core.event.Event.ReleaseStarted} and {@link
   * dev.deployer.core.event.Event.ReleaseFinished} for every release, from the thread that called
   * this. An interrupt of that thread cancels the run, which still waits for running tasks.
   */
  default ScheduleResult run(
      ReleaseGraph graph, ReleaseTask task, EventListener listener, Cancellation cancellation) {
    return run(graph, task, listener, cancellation, r -> {});
  }

  /**
   * {@link #run(ReleaseGraph, ReleaseTask, EventListener, Cancellation)}, calling {@code settled}
   * with each release's result the moment it settles (after its {@link
   * dev.deployer.core.event.Event.ReleaseFinished}), from the thread that called this: the signal
   * for work that waits on releases, such as monitors. Events are for observers only.
   */
  ScheduleResult run(
      ReleaseGraph graph,
      ReleaseTask task,
      EventListener listener,
      Cancellation cancellation,
      java.util.function.Consumer<ReleaseResult> settled);

  /** {@link #run(ReleaseGraph, ReleaseTask, EventListener, Cancellation)} that nobody cancels. */
  default ScheduleResult run(ReleaseGraph graph, ReleaseTask task, EventListener listener) {
    return run(graph, task, listener, new Cancellation());
  }
}
