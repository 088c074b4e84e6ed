package dev.deployer.app;

import dev.deployer.core.deploy.Cancellation;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;

/**
 * Ctrl-C (SIGINT) and SIGTERM during a run: stop starting releases, let running Helm operations
 * finish, report, and only then let the JVM exit, so that no release is left pending.
 */
final class Interrupts {
  private Interrupts() {}

  static <T> T run(Function<Cancellation, T> work) {
    Cancellation cancellation = new Cancellation();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              cancellation.cancel("interrupted: no new release started");
              try {
                done.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "deployer-interrupt");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return work.apply(cancellation);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: the JVM exits once it returns.
      }
    }
  }
}
