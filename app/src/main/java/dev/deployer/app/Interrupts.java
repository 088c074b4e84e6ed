package dev.deployer.app;

import dev.deployer.core.cancel.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToIntFunction;

/**
 * Ctrl-C (SIGINT) and SIGTERM. During a run: start nothing new, cancel the Helm operations and
 * monitors that are running (Helm records each operation failed), let the run end and print its
 * report, and exit with {@code 128 + signal} (130 for SIGINT, 143 for SIGTERM). A run that has not
 * ended within the grace period, or a second signal, is cut short with the same code: the hooks and
 * other programs it started are stopped, so that it ends, frees its locks and prints its report; a
 * run that still has not ended {@link #FINISH} later, or another signal, ends the process at once.
 * Outside a run (while the engine loads, before a command starts) a signal ends deployer at once:
 * nothing has been changed yet.
 */
final class Interrupts {
  private static final AtomicReference<ActiveRun> ACTIVE = new AtomicReference<>();

  /**
   * How long a run that is cut short may take to end once its programs are stopped: long enough for
   * Helm to record a cancelled operation failed, free the locks and print the report.
   */
  static final Duration FINISH = Duration.ofSeconds(10);

  /** The first signal's exit code ({@code 128 + number}); 0 while none came. */
  private static final AtomicInteger SIGNALLED = new AtomicInteger();

  /** The first signal's name ({@code SIGTERM}); empty while none came. */
  private static volatile String signalName = "";

  private Interrupts() {}

  /** The first signal's exit code ({@code 128 + number}); 0 while none came. */
  static int signalled() {
    return SIGNALLED.get();
  }

  /**
   * A message of the signal handling on standard error: {@code deployer: TEXT}, or with {@code
   * --log-format json} a {@link JsonLines} line; {@code exitCode} 0 for one that does not end the
   * process.
   */
  private static void tell(String text, int exitCode) {
    if (JsonLines.processWide()) {
      var line =
          JsonLines.line(
              exitCode == 0 ? "warn" : "error", exitCode == 0 ? "signal" : "interrupted");
      line.put("message", text);
      line.put("signal", signalName);
      if (exitCode != 0) {
        line.put("exit_code", exitCode);
      }
      System.err.println(line.toString());
    } else {
      System.err.println("deployer: " + text);
    }
    System.err.flush();
  }

  /**
   * A run in progress: what a signal cancels, how long it may take to end after, and whether it is
   * being cut short.
   */
  private record ActiveRun(
      Cancellation cancellation,
      Duration grace,
      CountDownLatch done,
      java.util.concurrent.atomic.AtomicBoolean cutShort) {}

  /**
   * Handles SIGINT and SIGTERM for the rest of the process. Called once, first thing in {@code
   * main}, so that no signal meets a half-initialised program.
   */
  static void install() {
    for (String name : List.of("INT", "TERM")) {
      try {
        SignalApi.handle(name, Interrupts::signalled);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // The JVM keeps the signal (-Xrs, or a platform without it): its default applies.
      }
    }
  }

  private static void signalled(String name, int number) {
    int code = 128 + number;
    boolean first = SIGNALLED.compareAndSet(0, code);
    if (first) {
      signalName = "SIG" + name;
    }
    ActiveRun run = ACTIVE.get();
    if (run == null) {
      tell("interrupted (SIG" + name + ")", code);
      Runtime.getRuntime().halt(code);
    }
    if (!first) {
      if (run.cutShort().get()) {
        tell("signal while the run is cut short; exiting at once", SIGNALLED.get());
        Runtime.getRuntime().halt(SIGNALLED.get());
      }
      cutShort(run, "second signal");
      return;
    }
    tell(
        "SIG"
            + name
            + ": starting nothing new, cancelling what runs (up to "
            + dev.deployer.core.plan.GoDuration.format(run.grace())
            + "; signal again to cut it short)",
        0);
    run.cancellation().cancel("interrupted: no new release started");
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!run.done().await(run.grace().toMillis(), TimeUnit.MILLISECONDS)) {
                  cutShort(
                      run,
                      "the run did not end within "
                          + dev.deployer.core.plan.GoDuration.format(run.grace())
                          + " (--grace) of the signal");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "deployer-grace");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /**
   * Ends a run that is slow to end after a signal: stops the programs it started (hooks, post
   * renderers), which a cancellation does not stop, so that the run ends, frees its locks and
   * prints its report; exits at once when it has not ended {@link #FINISH} later. Helm's operations
   * were cancelled by the first signal and end on their own, recording their release failed.
   */
  private static void cutShort(ActiveRun run, String why) {
    if (!run.cutShort().compareAndSet(false, true)) {
      return;
    }
    tell(why + "; stopping the programs it runs, then printing its report", 0);
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
    Thread finisher =
        new Thread(
            () -> {
              try {
                if (!run.done().await(FINISH.toMillis(), TimeUnit.MILLISECONDS)) {
                  tell(
                      "the run did not end within "
                          + dev.deployer.core.plan.GoDuration.format(FINISH)
                          + " of being cut short; exiting",
                      SIGNALLED.get());
                  Runtime.getRuntime().halt(SIGNALLED.get());
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "deployer-finish");
    finisher.setDaemon(true);
    finisher.start();
  }

  /**
   * The JDK's signal API ({@code sun.misc.Signal}, module {@code jdk.unsupported}), reached by
   * reflection: the compiler warns on every direct use of it. Only the JDK has a way to handle
   * SIGINT and SIGTERM without ending the JVM.
   */
  private static final class SignalApi {
    interface Handler {
      void on(String name, int number);
    }

    static void handle(String name, Handler handler) throws ReflectiveOperationException {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      java.lang.reflect.Method number = signal.getMethod("getNumber");
      java.lang.reflect.Method signalName = signal.getMethod("getName");
      Object proxy =
          java.lang.reflect.Proxy.newProxyInstance(
              Interrupts.class.getClassLoader(),
              new Class<?>[] {handlerType},
              (self, method, args) -> {
                switch (method.getName()) {
                  case "handle" -> {
                    handler.on(
                        (String) signalName.invoke(args[0]), (Integer) number.invoke(args[0]));
                    return null;
                  }
                  case "hashCode" -> {
                    return System.identityHashCode(self);
                  }
                  case "equals" -> {
                    return self == args[0];
                  }
                  case "toString" -> {
                    return "deployer signal handler";
                  }
                  default -> {
                    return null;
                  }
                }
              });
      signal
          .getMethod("handle", signal, handlerType)
          .invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
    }
  }

  /**
   * Runs a command's work, which prints its own report and returns the exit code.
   *
   * @param grace how long the work may take to end after a signal
   * @return the work's exit code, or {@code 128 + signal} when a signal interrupted it
   */
  static int run(Duration grace, ToIntFunction<Cancellation> work) {
    Cancellation cancellation = new Cancellation();
    ActiveRun run =
        new ActiveRun(
            cancellation,
            grace,
            new CountDownLatch(1),
            new java.util.concurrent.atomic.AtomicBoolean());
    ACTIVE.set(run);
    if (SIGNALLED.get() != 0) {
      // A signal came before the run began.
      cancellation.cancel("interrupted: no new release started");
    }
    try {
      int code = work.applyAsInt(cancellation);
      if (SIGNALLED.get() != 0 && JsonLines.processWide()) {
        // In text the report's "(interrupted)" says it; a log collector gets a last line.
        tell("the run ended after " + signalName, SIGNALLED.get());
      }
      return SIGNALLED.get() != 0 ? SIGNALLED.get() : code;
    } finally {
      ACTIVE.compareAndSet(run, null);
      run.done().countDown();
    }
  }
}
