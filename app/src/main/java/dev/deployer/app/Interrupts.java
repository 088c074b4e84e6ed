package dev.deployer.app;

import dev.deployer.core.deploy.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: start nothing new, wait until the run has ended (the
 * embedded Helm library cancels the operation it runs on the same signal and records it failed),
 * print the report, and only then let the JVM exit, with the command's own exit code.
 */
final class Interrupts {
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
                done.await();
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
