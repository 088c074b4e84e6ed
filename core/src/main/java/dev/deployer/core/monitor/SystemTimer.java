package dev.deployer.core.monitor;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Real time on one daemon thread. Its tasks only start probes on the probe pool and record results,
 * so one thread serves many monitors.
 */
final class SystemTimer implements Timer {
  private final ScheduledThreadPoolExecutor executor;

  SystemTimer() {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "monitor-scheduler");
              thread.setDaemon(true);
              return thread;
            });
    // Cancelled timeouts would otherwise stay in the queue until they are due.
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public Scheduled schedule(Runnable task, long delayNanos) {
    ScheduledFuture<?> future;
    try {
      future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // Closing the runner cancels every monitor; a task scheduled meanwhile has nothing to do.
      return () -> {};
    }
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
