package dev.deployer.core.monitor;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.plan.Monitor;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the monitors of one {@code up}: each monitor's probe runs at once, then every {@code
 * interval} measured start to start, until {@code success_threshold} consecutive successes pass it,
 * {@code failure_threshold} consecutive failures fail it, as many consecutive errors (probes that
 * could not reach their backend) end it {@link MonitorOutcome#ERROR}, or {@code total_timeout} ends
 * it.
 *
 * <p>All monitors share one scheduler thread and one bounded pool of probe threads, so hundreds of
 * monitors cost a few threads, not one each. Monitors may be started at any time, while others run,
 * as their releases succeed.
 *
 * <ul>
 *   <li>A probe slower than {@code iteration_timeout} is an error, and its thread is interrupted.
 *   <li>A probe that throws is an error, with the exception's message as its detail.
 *   <li>With {@code on_error: fail}, errors count as failures.
 *   <li>When a probe is due while the previous one of the same monitor still runs (possible when
 *       {@code iteration_timeout} exceeds {@code interval}, or when the pool is saturated), it is
 *       skipped, not queued: the schedule stays on its grid and probes never pile up. A {@link
 *       dev.deployer.core.event.Event.ProbeSkipped} event says so.
 * </ul>
 *
 * <p>Cancelling (through the {@link Cancellation} given, {@link #cancel}, or {@link #close}) ends
 * every running monitor as {@link MonitorOutcome#CANCELLED} and interrupts its probe; monitors
 * started afterwards end cancelled at once.
 */
public final class MonitorRunner implements AutoCloseable {
  /** Probe threads when not told otherwise: probes mostly wait on the network. */
  public static final int DEFAULT_PROBE_THREADS = 16;

  private final Timer timer;
  private final Executor probes;
  private final Object lock = new Object();
  private final Set<MonitorRun> running = ConcurrentHashMap.newKeySet();
  private String stopped;
  private final Cancellation.Registration registration;

  /**
   * A runner with {@link #DEFAULT_PROBE_THREADS} probe threads, stopped by {@code cancellation}.
   */
  public MonitorRunner(Cancellation cancellation) {
    this(DEFAULT_PROBE_THREADS, cancellation);
  }

  /** A runner with at most {@code probeThreads} probes running at once. */
  public MonitorRunner(int probeThreads, Cancellation cancellation) {
    this(new SystemTimer(), probePool(probeThreads), cancellation);
  }

  MonitorRunner(Timer timer, Executor probes, Cancellation cancellation) {
    this.timer = Objects.requireNonNull(timer, "timer");
    this.probes = Objects.requireNonNull(probes, "probes");
    this.registration =
        cancellation.onCancel(() -> cancel(cancellation.reason().orElse("cancelled")));
  }

  private static ExecutorService probePool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("probe threads must be 1 or more, not " + threads);
    }
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread thread = new Thread(r, "monitor-probe-" + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Starts a monitor: its first probe is handed to the pool before this returns. Thread-safe.
   *
   * @param probe checks once; called from pool threads, never twice at once for one monitor
   * @param listener receives the monitor's events, in order, from the runner's threads; it must
   *     return quickly
   * @return completes when the monitor passes, fails or is cancelled; never exceptionally
   * @throws IllegalArgumentException when an interval, timeout or threshold is not positive
   */
  public CompletableFuture<MonitorResult> start(
      Monitor monitor, Probe probe, EventListener listener) {
    return start(monitor, probe, listener, monitor.failureThreshold());
  }

  /**
   * Starts a monitor that ends {@link MonitorOutcome#ERROR} after {@code errorThreshold}
   * consecutive errors, rather than {@code failure_threshold}.
   */
  public CompletableFuture<MonitorResult> start(
      Monitor monitor, Probe probe, EventListener listener, int errorThreshold) {
    Objects.requireNonNull(monitor, "monitor");
    Objects.requireNonNull(probe, "probe");
    Objects.requireNonNull(listener, "listener");
    MonitorRun run =
        new MonitorRun(monitor, probe, listener, timer, probes, running::remove, errorThreshold);
    String stoppedBecause;
    synchronized (lock) {
      stoppedBecause = stopped;
      if (stoppedBecause == null) {
        running.add(run);
      }
    }
    if (stoppedBecause != null) {
      run.cancel(stoppedBecause);
    } else {
      run.begin();
    }
    return run.result();
  }

  /**
   * Ends every running monitor as cancelled, with this reason, and every monitor started later.
   * Only the first call counts.
   */
  public void cancel(String reason) {
    Objects.requireNonNull(reason, "reason");
    List<MonitorRun> toCancel;
    synchronized (lock) {
      if (stopped != null) {
        return;
      }
      stopped = reason;
      toCancel = List.copyOf(running);
    }
    toCancel.forEach(run -> run.cancel(reason));
  }

  /** Cancels what still runs, then stops the runner's threads. */
  @Override
  public void close() {
    cancel("the monitor runner is closed");
    registration.close();
    timer.close();
    if (probes instanceof ExecutorService pool) {
      pool.shutdownNow();
    }
  }
}
