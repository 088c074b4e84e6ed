package dev.deployer.app;

import dev.deployer.core.deploy.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: stop starting releases, let running Helm operations
 * finish, print the report, and only then let the JVM exit, with the command's own exit code, so
 * that no release is left pending and the user sees what happened.
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
