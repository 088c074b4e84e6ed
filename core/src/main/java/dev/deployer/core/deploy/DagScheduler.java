package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Release;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each release as soon as it is ready. The calling thread owns all scheduling state; tasks
 * run on a pool of the run's own and report back through a queue, so no lock guards the state.
 */
final class DagScheduler implements ReleaseScheduler {
  private static final Logger log = LoggerFactory.getLogger(DagScheduler.class);

  private final int parallelLimit;
  private final Clock clock;

  DagScheduler(int parallelLimit) {
    this(parallelLimit, Clock.systemUTC());
  }

  DagScheduler(int parallelLimit, Clock clock) {
    if (parallelLimit < 0) {
      throw new IllegalArgumentException(
          "parallel limit must be 0 (unlimited) or more, not " + parallelLimit);
    }
    this.parallelLimit = parallelLimit;
    this.clock = clock;
  }

  @Override
  public ScheduleResult run(
      ReleaseGraph graph,
      ReleaseTask task,
      EventListener listener,
      Cancellation cancellation,
      Consumer<ReleaseResult> settled) {
    return new Run(graph, task, listener, cancellation, settled).execute();
  }

  /** A task's end, sent from its thread to the scheduling thread. */
  private record Completion(
      int release,
      TaskResult result,
      Throwable error,
      Instant started,
      Instant finished,
      Duration took) {}

  /** Wakes the scheduling thread when the run is cancelled. */
  private static final Object CANCELLED = new Object();

  /** One call of {@link #run}; everything but {@link #inbox} is touched by the caller's thread. */
  private final class Run {
    private final List<Release> releases;
    private final int[][] dependencies;
    private final int[][] dependents;
    private final ReleaseTask task;
    private final EventListener listener;
    private final Cancellation cancellation;
    private final Consumer<ReleaseResult> settled;
    private final boolean reversed;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final int[] unsettledDependencies;
    private final ReleaseResult[] results;

    /** Per settled release, the failed releases that stop its dependents: itself or its causes. */
    private final List<TreeSet<Integer>> failedCauses;

    private final PriorityQueue<Integer> ready = new PriorityQueue<>();
    private final List<String> startOrder = new ArrayList<>();
    private final List<String> finishOrder = new ArrayList<>();
    private int running;
    private boolean interrupted;
    private boolean listenerFailed;

    Run(
        ReleaseGraph graph,
        ReleaseTask task,
        EventListener listener,
        Cancellation cancellation,
        Consumer<ReleaseResult> settled) {
      this.releases = graph.releases();
      this.task = task;
      this.listener = listener;
      this.cancellation = cancellation;
      this.settled = settled;
      this.reversed = graph.isReversed();
      int n = releases.size();
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < n; i++) {
        index.put(releases.get(i).uniqueName(), i);
      }
      dependencies = new int[n][];
      dependents = new int[n][];
      unsettledDependencies = new int[n];
      results = new ReleaseResult[n];
      failedCauses = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Release r = releases.get(i);
        dependencies[i] =
            graph.dependenciesOf(r).stream().mapToInt(d -> index.get(d.uniqueName())).toArray();
        dependents[i] =
            graph.dependentsOf(r).stream().mapToInt(d -> index.get(d.uniqueName())).toArray();
        unsettledDependencies[i] = dependencies[i].length;
        failedCauses.add(new TreeSet<>());
        if (dependencies[i].length == 0) {
          ready.add(i);
        }
      }
    }

    ScheduleResult execute() {
      long begin = System.nanoTime();
      ExecutorService pool = pool();
      Cancellation.Registration wake = cancellation.onCancel(() -> inbox.add(CANCELLED));
      try {
        startReady(pool);
        while (running > 0 || (!ready.isEmpty() && !cancellation.isCancelled())) {
          handle(take());
          for (Object next = inbox.poll(); next != null; next = inbox.poll()) {
            handle(next);
          }
          if (Thread.interrupted()) {
            // take() can return a message and leave the interrupt pending: it still cancels.
            interruptedNow();
          }
          startReady(pool);
        }
      } finally {
        wake.close();
        pool.shutdown();
      }
      endTheRest();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      return new ScheduleResult(
          List.of(results),
          startOrder,
          finishOrder,
          cancellation.reason(),
          Duration.ofNanos(System.nanoTime() - begin));
    }

    private ExecutorService pool() {
      AtomicInteger threads = new AtomicInteger();
      // Unbounded like a cached pool: the limit is kept by startReady, not by the pool.
      return new ThreadPoolExecutor(
          0,
          Integer.MAX_VALUE,
          10,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "deployer-release-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
    }

    /** The next message; an interrupt cancels the run, which still waits for running tasks. */
    private Object take() {
      while (true) {
        try {
          return inbox.take();
        } catch (InterruptedException e) {
          interruptedNow();
        }
      }
    }

    private void interruptedNow() {
      interrupted = true;
      cancellation.cancel("interrupted");
    }

    private void handle(Object message) {
      if (message instanceof Completion c) {
        finished(c);
      }
      // CANCELLED only wakes the loop, which then starts nothing more.
    }

    private void startReady(ExecutorService pool) {
      while (!ready.isEmpty()
          && !cancellation.isCancelled()
          && (parallelLimit == UNLIMITED || running < parallelLimit)) {
        int i = ready.poll();
        Release release = releases.get(i);
        startOrder.add(release.uniqueName());
        emit(new Event.ReleaseStarted(release.uniqueName(), release.deployment().timeout()));
        running++;
        try {
          pool.execute(() -> inbox.add(work(i, release)));
        } catch (RuntimeException | Error e) {
          // The pool could not take the task (no thread left): a failure of this release only.
          Instant now = clock.instant();
          finished(new Completion(i, null, e, now, now, Duration.ZERO));
        }
      }
    }

    /** Runs on a task thread: whatever happens there comes back as a completion. */
    private Completion work(int i, Release release) {
      Instant started = clock.instant();
      long begin = System.nanoTime();
      TaskResult result = null;
      Throwable error = null;
      try {
        result = task.run(release);
      } catch (Throwable t) {
        error = t;
      }
      long end = System.nanoTime();
      return new Completion(
          i, result, error, started, clock.instant(), Duration.ofNanos(end - begin));
    }

    private void finished(Completion c) {
      running--;
      Release release = releases.get(c.release());
      boolean allowed = release.deployment().allowFailure();
      ReleaseResult result;
      if (c.error() != null) {
        result = ran(c, Outcome.FAILED, Optional.of(describe(c.error())), allowed);
      } else if (c.result() == null) {
        result = ran(c, Outcome.FAILED, Optional.of("the task returned no result"), allowed);
      } else {
        Outcome outcome = c.result().outcome();
        result = ran(c, outcome, c.result().reason(), outcome == Outcome.FAILED && allowed);
      }
      results[c.release()] = result;
      if (result.outcome() == Outcome.FAILED && !result.failureAllowed()) {
        failedCauses.get(c.release()).add(c.release());
      }
      finishOrder.add(release.uniqueName());
      announce(result);
      settled(c.release());
    }

    private ReleaseResult ran(Completion c, Outcome outcome, Optional<String> reason, boolean ok) {
      return new ReleaseResult(
          releases.get(c.release()).uniqueName(),
          outcome,
          reason,
          Optional.of(c.started()),
          Optional.of(c.finished()),
          c.took(),
          ok,
          Optional.ofNullable(c.error()));
    }

    /**
     * Tells the dependents of a release that has ended. A dependent whose dependencies have all
     * ended becomes ready, or is skipped when one of them failed; waiting for all of them keeps the
     * reason the same from run to run.
     */
    private void settled(int release) {
      Deque<Integer> todo = new ArrayDeque<>();
      todo.add(release);
      while (!todo.isEmpty()) {
        int done = todo.poll();
        for (int d : dependents[done]) {
          if (--unsettledDependencies[d] > 0) {
            continue;
          }
          if (causesFromDependencies(d).isEmpty()) {
            ready.add(d);
          } else {
            skip(d);
            todo.add(d);
          }
        }
      }
    }

    private TreeSet<Integer> causesFromDependencies(int release) {
      TreeSet<Integer> causes = failedCauses.get(release);
      for (int d : dependencies[release]) {
        causes.addAll(failedCauses.get(d));
      }
      return causes;
    }

    private void skip(int release) {
      TreeSet<Integer> causes = failedCauses.get(release);
      // Down and rollback run the graph turned around: what stops a release there is a release
      // that depends on it.
      boolean one = causes.size() == 1;
      String noun =
          reversed ? (one ? "dependent " : "dependents ") : (one ? "dependency " : "dependencies ");
      String reason = noun + names(causes) + " failed";
      boolean direct = false;
      List<Integer> through = new ArrayList<>();
      for (int d : dependencies[release]) {
        direct |= causes.contains(d);
        if (results[d] != null && results[d].outcome() == Outcome.SKIPPED) {
          through.add(d);
        }
      }
      if (!direct) {
        reason += " (through " + names(through) + ")";
      }
      results[release] =
          ReleaseResult.notRun(releases.get(release).uniqueName(), Outcome.SKIPPED, reason);
      announce(results[release]);
    }

    /** After the loop: the releases that never started, skipped or else cancelled. */
    private void endTheRest() {
      String why = cancellation.reason().orElse(null);
      for (int i = 0; i < results.length; i++) {
        if (results[i] != null) {
          continue;
        }
        if (!causesFromDependencies(i).isEmpty()) {
          skip(i);
        } else if (why != null) {
          results[i] = ReleaseResult.notRun(releases.get(i).uniqueName(), Outcome.CANCELLED, why);
          announce(results[i]);
        } else {
          throw new IllegalStateException(
              "release " + releases.get(i).uniqueName() + " never became ready");
        }
      }
    }

    private String names(Iterable<Integer> indexes) {
      List<String> names = new ArrayList<>();
      indexes.forEach(i -> names.add(releases.get(i).uniqueName()));
      return names.stream().collect(Collectors.joining(", "));
    }

    /** Tells observers, then the run's owner ({@code settled}), that a release settled. */
    private void announce(ReleaseResult r) {
      emit(new Event.ReleaseFinished(r.release(), r.outcome(), r.duration(), r.reason()));
      settled.accept(r);
    }

    private void emit(Event event) {
      try {
        listener.on(event);
      } catch (RuntimeException e) {
        // A broken listener must not stop the deploy: its releases still need to end cleanly.
        if (!listenerFailed) {
          listenerFailed = true;
          log.warn("event listener failed on {}; later failures of this run go unlogged", event, e);
        }
      }
    }
  }

  private static String describe(Throwable error) {
    String message = error.getMessage();
    return message == null || message.isBlank()
        ? "unexpected " + error.getClass().getName()
        : message;
  }
}
