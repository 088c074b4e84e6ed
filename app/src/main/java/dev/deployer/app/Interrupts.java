package dev.deployer.app;

import dev.deployer.core.deploy.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: start nothing new, cancel the Helm operations that are
 * running (Helm records each failed), wait until the run has ended and printed its report, and only
 * then let the JVM exit, with the command's own exit code. A run that has not ended within the
 * grace period is cut short with exit code 1 ({@link ExitCodes#FAILED}).
 */
final class Interrupts {
  /** How long a cancelled run may take to end: Helm writes its failed records in this time. */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(30);

  private Interrupts() {}

  /**
   * Runs a command's work, which prints its own report and returns the exit code.
   *
   * @return the exit code
   */
  static int run(ToIntFunction<Cancellation> work) {
    Cancellation cancellation = new Cancellation();
    CountDownLatch done = new CountDownLatch(1);
    AtomicInteger exitCode = new AtomicInteger(ExitCodes.INTERNAL);
    Thread hook =
        new Thread(
            () -> {
              cancellation.cancel("interrupted: no new release started");
              try {
                if (!done.await(GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                  System.err.println(
                      "deployer: the run did not end within "
                          + GRACE.toSeconds()
                          + " s of the signal; exiting");
                  Runtime.getRuntime().halt(ExitCodes.FAILED);
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              // The JVM would otherwise end with the signal's status, not the command's.
              Runtime.getRuntime().halt(exitCode.get());
            },
            "deployer-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      exitCode.set(work.applyAsInt(cancellation));
      return exitCode.get();
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it halts the JVM with the exit code once this returns.
      }
    }
  }
}
