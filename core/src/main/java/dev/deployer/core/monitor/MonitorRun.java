package dev.deployer.core.monitor;

import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.Monitor;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One monitor's schedule, streaks and end. Everything it knows is guarded by its own lock: ticks
 * and timeouts arrive on the timer's thread, answers on the probe pool's threads, cancellation on
 * any thread. Events are sent under the lock so a monitor's events arrive in order; the result is
 * completed outside it, so callbacks on the future may call back into the runner.
 */
final class MonitorRun {
  private static final Logger log = LoggerFactory.getLogger(MonitorRun.class);

  private final Monitor monitor;
  private final Probe probe;
  private final EventListener listener;
  private final Timer timer;
  private final Executor probes;
  private final Consumer<MonitorRun> onEnd;
  private final long intervalNanos;
  private final long iterationTimeoutNanos;
  private final long totalTimeoutNanos;
  private final int errorThreshold;
  private final CompletableFuture<MonitorResult> result = new CompletableFuture<>();

  private boolean begun;
  private long startedAt;
  private int ticks;
  private int probesStarted;
  private int probesEnded;
  private int successes;
  private int failures;
  private int errors;
  private int failuresSeen;
  private int errorsSeen;
  private ProbeResult last;
  private InFlight inFlight;
  private Timer.Scheduled nextTick;
  private Timer.Scheduled totalTimeout;
  private MonitorResult ending;

  /** The probe handed to the pool and not ended yet. */
  private static final class InFlight {
    final int number;
    final long due;
    Thread thread;
    boolean running;
    long began;
    Timer.Scheduled timeout;

    InFlight(int number, long due) {
      this.number = number;
      this.due = due;
    }
  }

  MonitorRun(
      Monitor monitor,
      Probe probe,
      EventListener listener,
      Timer timer,
      Executor probes,
      Consumer<MonitorRun> onEnd,
      int errorThreshold) {
    this.monitor = monitor;
    this.probe = probe;
    this.listener = listener;
    this.timer = timer;
    this.probes = probes;
    this.onEnd = onEnd;
    this.intervalNanos = positive(monitor.interval(), "interval");
    this.iterationTimeoutNanos = positive(monitor.iterationTimeout(), "iteration_timeout");
    this.totalTimeoutNanos = positive(monitor.totalTimeout(), "total_timeout");
    this.errorThreshold = errorThreshold;
    if (monitor.successThreshold() < 1 || monitor.failureThreshold() < 1 || errorThreshold < 1) {
      throw new IllegalArgumentException(
          "monitor " + monitor.name() + ": thresholds must be 1 or more");
    }
  }

  private long positive(Duration duration, String property) {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(
          "monitor " + monitor.name() + ": " + property + " must be positive, not " + duration);
    }
    return duration.toNanos();
  }

  CompletableFuture<MonitorResult> result() {
    return result;
  }

  /** Starts the schedule: the first probe is handed to the pool at once. */
  void begin() {
    synchronized (this) {
      if (ending != null) {
        return;
      }
      begun = true;
      startedAt = timer.nanoTime();
      emit(new Event.MonitorStarted(monitor.name()));
      totalTimeout = timer.schedule(this::onTotalTimeout, totalTimeoutNanos);
      tick();
    }
    deliver();
  }

  /** Ends the monitor as cancelled unless it already ended; a running probe is interrupted. */
  void cancel(String reason) {
    synchronized (this) {
      if (ending == null) {
        finish(MonitorOutcome.CANCELLED, "cancelled: " + reason);
      }
    }
    deliver();
  }

  private void onTick() {
    synchronized (this) {
      tick();
    }
    deliver();
  }

  private void onTotalTimeout() {
    synchronized (this) {
      if (ending == null) {
        // Errors alone say nothing about the release: without a failure, the monitor errs.
        boolean onlyErrors = errorsSeen > 0 && failuresSeen == 0 && !errorsFail();
        finish(
            onlyErrors ? MonitorOutcome.ERROR : MonitorOutcome.FAILED,
            "total timeout "
                + GoDuration.format(monitor.totalTimeout())
                + " reached after "
                + plural(probesEnded, "probe", "probes")
                + counts()
                + (onlyErrors && last != null ? "; last: " + last.detail() : ""));
      }
    }
    deliver();
  }

  private void onIterationTimeout(InFlight probe) {
    synchronized (this) {
      if (inFlight == probe) {
        timedOut(probe, timer.nanoTime());
      }
    }
    deliver();
  }

  /** Runs on a pool thread. */
  private void runProbe(InFlight attempt) {
    synchronized (this) {
      if (inFlight != attempt) {
        return; // the monitor ended while the probe waited for a thread
      }
      attempt.thread = Thread.currentThread();
      attempt.running = true;
      attempt.began = timer.nanoTime();
      attempt.timeout = timer.schedule(() -> onIterationTimeout(attempt), iterationTimeoutNanos);
    }
    ProbeResult answer;
    try {
      answer = probe.probe();
      if (answer == null) {
        answer = ProbeResult.error("the probe returned no result");
      }
    } catch (InterruptedException e) {
      answer = ProbeResult.error("interrupted");
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      // A probe that throws learnt nothing about the release.
      answer = ProbeResult.error(message(e));
    }
    try {
      synchronized (this) {
        if (inFlight == attempt) {
          ended(attempt, answer, timer.nanoTime());
        }
      }
    } finally {
      // A timeout or cancellation that won the race interrupted this thread before it let go of
      // the lock above; the pool thread must not carry that into the next probe.
      Thread.interrupted();
    }
    deliver();
  }

  private static String message(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** A probe is due. Called with the lock held. */
  private void tick() {
    if (ending != null) {
      return;
    }
    long now = timer.nanoTime();
    ticks++;
    if (inFlight != null) {
      if (inFlight.running && now - inFlight.began >= iterationTimeoutNanos) {
        // Its timeout is due at this very moment; count it before starting the next one.
        timedOut(inFlight, now);
        if (ending != null) {
          return;
        }
      } else {
        emit(
            new Event.ProbeSkipped(
                monitor.name(),
                "probe "
                    + inFlight.number
                    + " still "
                    + (inFlight.running ? "runs" : "waits for a thread")
                    + " after "
                    + GoDuration.format(Duration.ofNanos(now - inFlight.due))));
        scheduleNextTick(now);
        return;
      }
    }
    InFlight attempt = new InFlight(++probesStarted, now);
    inFlight = attempt;
    scheduleNextTick(now);
    try {
      probes.execute(() -> runProbe(attempt));
    } catch (RejectedExecutionException closed) {
      finish(MonitorOutcome.CANCELLED, "cancelled: the monitor runner is closed");
    }
  }

  /** Start to start: tick k is due at start + k × interval, however long probes take. */
  private void scheduleNextTick(long now) {
    long offset = ticks * intervalNanos;
    if (offset >= totalTimeoutNanos) {
      return; // the total timeout comes first
    }
    nextTick = timer.schedule(this::onTick, startedAt + offset - now);
  }

  private void timedOut(InFlight attempt, long now) {
    if (attempt.thread != null) {
      attempt.thread.interrupt();
    }
    ended(
        attempt,
        ProbeResult.error("timed out after " + GoDuration.format(monitor.iterationTimeout())),
        now);
  }

  private void ended(InFlight attempt, ProbeResult answer, long now) {
    inFlight = null;
    if (attempt.timeout != null) {
      attempt.timeout.cancel();
    }
    probesEnded++;
    last = answer;
    if (answer.error()) {
      errorsSeen++;
    } else if (!answer.success()) {
      failuresSeen++;
    }
    ProbeResult.Kind counted =
        answer.error() && errorsFail() ? ProbeResult.Kind.FAILURE : answer.kind();
    int consecutive;
    int threshold;
    MonitorOutcome outcome;
    String streak;
    // An error says nothing about the release: it neither extends nor breaks the success and
    // failure streaks, and any answer breaks the error streak.
    switch (counted) {
      case SUCCESS -> {
        consecutive = ++successes;
        failures = 0;
        errors = 0;
        threshold = monitor.successThreshold();
        outcome = MonitorOutcome.PASSED;
        streak = consecutive == 1 ? "success" : "successes";
      }
      case FAILURE -> {
        consecutive = ++failures;
        successes = 0;
        errors = 0;
        threshold = monitor.failureThreshold();
        outcome = MonitorOutcome.FAILED;
        streak =
            (consecutive == 1 ? "failure" : "failures")
                + (answer.error() ? " (errors count as failures: on_error: fail)" : "");
      }
      default -> {
        consecutive = ++errors;
        threshold = errorThreshold;
        outcome = MonitorOutcome.ERROR;
        streak = consecutive == 1 ? "error" : "errors";
      }
    }
    emit(
        new Event.ProbeFinished(
            monitor.name(),
            attempt.number,
            answer.success(),
            answer.detail(),
            consecutive,
            threshold,
            Duration.ofNanos(now - (attempt.running ? attempt.began : attempt.due)),
            answer.error()));
    if (consecutive >= threshold) {
      finish(outcome, consecutive + " consecutive " + streak + ": " + answer.detail());
    }
  }

  private boolean errorsFail() {
    return monitor.onError() == Monitor.OnError.FAIL;
  }

  /** {@code (2 failed, 3 errors)}, or nothing when every probe succeeded. */
  private String counts() {
    if (failuresSeen == 0 && errorsSeen == 0) {
      return "";
    }
    StringBuilder out = new StringBuilder(" (");
    if (failuresSeen > 0) {
      out.append(failuresSeen).append(" failed");
    }
    if (errorsSeen > 0) {
      out.append(failuresSeen > 0 ? ", " : "").append(plural(errorsSeen, "error", "errors"));
    }
    return out.append(')').toString();
  }

  private static String plural(int n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private void finish(MonitorOutcome outcome, String reason) {
    long now = timer.nanoTime();
    if (nextTick != null) {
      nextTick.cancel();
    }
    if (totalTimeout != null) {
      totalTimeout.cancel();
    }
    if (inFlight != null) {
      if (inFlight.timeout != null) {
        inFlight.timeout.cancel();
      }
      if (inFlight.thread != null) {
        inFlight.thread.interrupt();
      }
      inFlight = null;
    }
    Duration took = begun ? Duration.ofNanos(now - startedAt) : Duration.ZERO;
    ending =
        new MonitorResult(
            monitor.name(),
            outcome,
            reason,
            probesEnded,
            failuresSeen,
            errorsSeen,
            Optional.ofNullable(last),
            took);
    emit(new Event.MonitorFinished(monitor.name(), outcome, reason, probesEnded, took));
    onEnd.accept(this);
  }

  private void deliver() {
    MonitorResult done;
    synchronized (this) {
      done = ending;
    }
    if (done != null) {
      result.complete(done);
    }
  }

  private void emit(Event event) {
    try {
      listener.on(event);
    } catch (RuntimeException e) {
      // A broken listener must not stop the monitor; the event is lost, the result is not.
      log.warn("event listener failed on {}", event, e);
    }
  }
}
