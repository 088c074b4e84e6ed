package dev.deployer.core.monitor;

/**
 * The runner's time: a monotonic clock and delayed tasks. Tests drive a manual one, so schedules
 * can be checked exactly without sleeping.
 */
interface Timer extends AutoCloseable {

  /** Monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /** Runs {@code task} once, {@code delayNanos} from now (at once when not positive). */
  Scheduled schedule(Runnable task, long delayNanos);

  /** Stops running tasks; those not run yet are dropped. */
  @Override
  void close();

  /** A task scheduled with {@link #schedule}. */
  @FunctionalInterface
  interface Scheduled {
    /** Drops the task if it has not run yet. */
    void cancel();
  }
}
