package dev.deployer.core.monitor;

import static dev.deployer.core.monitor.Monitors.monitor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner on a manual clock and a manual probe pool: exact, and no sleeping. */
class MonitorRunnerTest {
  static final Duration TEN_SECONDS = Duration.ofSeconds(10);

  final ManualTimer timer = new ManualTimer();
  final Deque<Runnable> pool = new ArrayDeque<>();
  final Executor executor = pool::add;
  final Cancellation cancellation = new Cancellation();
  final MonitorRunner runner = new MonitorRunner(timer, executor, cancellation);
  final List<Event> events = new ArrayList<>();
  final EventListener listener = events::add;

  @AfterEach
  void close() {
    runner.close();
  }

  /**
   * Answers from a script, one letter a probe: s succeeds, f fails, e errs (cannot reach its
   * backend); the last one repeats.
   */
  final class ScriptedProbe implements Probe {
    final String script;
    final Duration takes;
    final List<Duration> starts = new ArrayList<>();

    ScriptedProbe(String script) {
      this(script, Duration.ZERO);
    }

    ScriptedProbe(String script, Duration takes) {
      this.script = script;
      this.takes = takes;
    }

    @Override
    public ProbeResult probe() {
      int n = starts.size();
      starts.add(timer.elapsed());
      if (!takes.isZero()) {
        timer.advance(takes); // the probe's own time passes while it runs
      }
      char answer = script.charAt(Math.min(n, script.length() - 1));
      return switch (answer) {
        case 's' -> ProbeResult.success("ok " + (n + 1));
        case 'e' -> ProbeResult.error("cannot connect to prometheus at probe " + (n + 1));
        default -> ProbeResult.failure("5xx rate 0.2 at probe " + (n + 1));
      };
    }
  }

  /** Starts {@code monitor} on a {@link ScriptedProbe} of {@code script}, heard by this test. */
  CompletableFuture<MonitorResult> start(Monitor monitor, String script) {
    return start(monitor, new ScriptedProbe(script));
  }

  CompletableFuture<MonitorResult> start(Monitor monitor, Probe probe) {
    return runner.start(monitor, probe, listener);
  }

  /** A monitor probing every 10 s, each probe allowed 10 s, the whole monitor 5 minutes. */
  static Monitor everyTenSeconds(String name, int successThreshold, int failureThreshold) {
    return monitor(
        name, TEN_SECONDS, TEN_SECONDS, Duration.ofMinutes(5), successThreshold, failureThreshold);
  }

  /** The result once {@code steps} intervals of 10 s have passed and the last probes ran. */
  MonitorResult afterSteps(CompletableFuture<MonitorResult> result, int steps) {
    step(TEN_SECONDS, steps);
    runProbes();
    return result.join();
  }

  /** Runs the probes handed to the pool, then lets {@code by} pass; {@code times} times. */
  void step(Duration by, int times) {
    for (int i = 0; i < times; i++) {
      runProbes();
      timer.advance(by);
    }
  }

  void runProbes() {
    Runnable next;
    while ((next = pool.poll()) != null) {
      next.run();
    }
  }

  /** The probes the listener heard finish, in order. */
  List<Event.ProbeFinished> probesFinished() {
    return events.stream()
        .filter(Event.ProbeFinished.class::isInstance)
        .map(Event.ProbeFinished.class::cast)
        .toList();
  }

  List<String> streaks() {
    return probesFinished().stream().map(Event.ProbeFinished::streak).toList();
  }

  @Test
  @Timeout(5)
  void passesAfterSuccessThresholdConsecutiveSuccesses() {
    Monitor monitor = everyTenSeconds("api", 3, 2);
    CompletableFuture<MonitorResult> result = start(monitor, "s");

    step(TEN_SECONDS, 2);
    runProbes();

    assertThat(result).isCompleted();
    MonitorResult passed = result.join();
    assertThat(passed.outcome()).isEqualTo(MonitorOutcome.PASSED);
    assertThat(passed.reason()).isEqualTo("3 consecutive successes: ok 3");
    assertThat(passed.probes()).isEqualTo(3);
    assertThat(passed.lastResult()).contains(ProbeResult.success("ok 3"));
    assertThat(passed.took()).isEqualTo(Duration.ofSeconds(20));
    assertThat(streaks()).containsExactly("streak 1/3", "streak 2/3", "streak 3/3");
    assertThat(events.get(0)).isEqualTo(new Event.MonitorStarted("api"));
    assertThat(events.get(events.size() - 1))
        .isEqualTo(
            new Event.MonitorFinished(
                "api",
                MonitorOutcome.PASSED,
                "3 consecutive successes: ok 3",
                3,
                Duration.ofSeconds(20)));
    assertThat(pool).as("no probe after the monitor passed").isEmpty();
  }

  @Test
  @Timeout(5)
  void failsAfterFailureThresholdConsecutiveFailures() {
    Monitor monitor = everyTenSeconds("errors", 3, 2);
    CompletableFuture<MonitorResult> result = start(monitor, "f");

    MonitorResult failed = afterSteps(result, 1);
    assertThat(failed.outcome()).isEqualTo(MonitorOutcome.FAILED);
    assertThat(failed.reason()).isEqualTo("2 consecutive failures: 5xx rate 0.2 at probe 2");
    assertThat(failed.probes()).isEqualTo(2);
    assertThat(streaks()).containsExactly("streak 1/2", "streak 2/2");
    Event.ProbeFinished first = (Event.ProbeFinished) events.get(1);
    assertThat(first.monitor()).isEqualTo("errors");
    assertThat(first.number()).isEqualTo(1);
    assertThat(first.success()).isFalse();
    assertThat(first.detail()).isEqualTo("5xx rate 0.2 at probe 1");
  }

  @Test
  @Timeout(5)
  void aFlappingSeriesReachesNoThresholdAndFailsOnTotalTimeout() {
    Monitor monitor = monitor("flaky", TEN_SECONDS, TEN_SECONDS, Duration.ofMinutes(1), 2, 2);
    ScriptedProbe probe = new ScriptedProbe("sfsfsfsfsfsf");
    CompletableFuture<MonitorResult> result = start(monitor, probe);

    step(TEN_SECONDS, 5);
    runProbes();
    assertThat(result).isNotDone();
    timer.advance(TEN_SECONDS);

    MonitorResult failed = result.join();
    assertThat(failed.outcome()).isEqualTo(MonitorOutcome.FAILED);
    assertThat(failed.reason()).isEqualTo("total timeout 1m reached after 6 probes (3 failed)");
    assertThat(failed.probes()).isEqualTo(6);
    assertThat(failed.lastResult()).contains(ProbeResult.failure("5xx rate 0.2 at probe 6"));
    assertThat(failed.took()).isEqualTo(Duration.ofMinutes(1));
    assertThat(streaks()).hasSize(6).allMatch(s -> s.equals("streak 1/2"));
    assertThat(probe.starts)
        .as("no probe starts at the total timeout itself")
        .containsExactly(
            Duration.ZERO,
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30),
            Duration.ofSeconds(40),
            Duration.ofSeconds(50));
  }

  @Test
  @Timeout(5)
  void errorsAloneEndTheMonitorErrorNotFailedAndAreCountedApart() {
    Monitor monitor = everyTenSeconds("error-rate", 3, 3);
    CompletableFuture<MonitorResult> result = start(monitor, "e");

    MonitorResult ended = afterSteps(result, 2);
    assertThat(ended.outcome()).isEqualTo(MonitorOutcome.ERROR);
    assertThat(ended.outcome().word()).isEqualTo("error");
    assertThat(ended.reason())
        .isEqualTo("3 consecutive errors: cannot connect to prometheus at probe 3");
    assertThat(ended.probes()).isEqualTo(3);
    assertThat(ended.errors()).isEqualTo(3);
    assertThat(ended.failures()).isZero();
    assertThat(probesFinished())
        .extracting(e -> e.result())
        .containsExactly("error", "error", "error");
    assertThat(events.get(events.size() - 1))
        .isEqualTo(
            new Event.MonitorFinished(
                "error-rate",
                MonitorOutcome.ERROR,
                "3 consecutive errors: cannot connect to prometheus at probe 3",
                3,
                Duration.ofSeconds(20)));
  }

  @Test
  @Timeout(5)
  void anErrorNeitherExtendsNorBreaksASuccessOrFailureStreak() {
    Monitor monitor = everyTenSeconds("api", 2, 2);
    CompletableFuture<MonitorResult> result = start(monitor, "fef");

    step(TEN_SECONDS, 2);
    runProbes();

    assertThat(result.join().outcome()).isEqualTo(MonitorOutcome.FAILED);
    assertThat(result.join().reason()).isEqualTo("2 consecutive failures: 5xx rate 0.2 at probe 3");
    assertThat(streaks()).containsExactly("streak 1/2", "streak 1/2", "streak 2/2");
    assertThat(result.join().failures()).isEqualTo(2);
    assertThat(result.join().errors()).isEqualTo(1);
  }

  @Test
  @Timeout(5)
  void withOnErrorFailErrorsCountAsFailures() {
    Monitor monitor =
        monitor(
            "error-rate",
            TEN_SECONDS,
            TEN_SECONDS,
            Duration.ofMinutes(5),
            3,
            2,
            Monitor.OnError.FAIL);
    CompletableFuture<MonitorResult> result = start(monitor, "e");

    MonitorResult ended = afterSteps(result, 1);
    assertThat(ended.outcome()).isEqualTo(MonitorOutcome.FAILED);
    assertThat(ended.reason())
        .isEqualTo(
            "2 consecutive failures (errors count as failures: on_error: fail): "
                + "cannot connect to prometheus at probe 2");
    assertThat(ended.errors()).as("still shown as errors").isEqualTo(2);
    assertThat(streaks()).containsExactly("streak 1/2", "streak 2/2");
  }

  @Test
  @Timeout(5)
  void aTotalTimeoutAfterOnlySuccessesAndErrorsIsAnErrorAfterAFailureAFailure() {
    Monitor errs = monitor("errs", TEN_SECONDS, TEN_SECONDS, Duration.ofSeconds(40), 3, 3);
    Monitor fails = monitor("fails", TEN_SECONDS, TEN_SECONDS, Duration.ofSeconds(40), 3, 3);
    CompletableFuture<MonitorResult> erred = start(errs, "sesese");
    CompletableFuture<MonitorResult> failed = start(fails, "fesese");

    step(TEN_SECONDS, 4);

    assertThat(erred.join().outcome()).isEqualTo(MonitorOutcome.ERROR);
    assertThat(erred.join().reason())
        .isEqualTo(
            "total timeout 40s reached after 4 probes (2 errors); last: cannot connect to"
                + " prometheus at probe 4");
    assertThat(failed.join().outcome()).isEqualTo(MonitorOutcome.FAILED);
    assertThat(failed.join().reason())
        .isEqualTo("total timeout 40s reached after 4 probes (1 failed, 2 errors)");
  }

  @Test
  @Timeout(5)
  void aSuccessResetsTheFailureStreakAndViceVersa() {
    Monitor monitor = everyTenSeconds("api", 3, 3);
    CompletableFuture<MonitorResult> result = start(monitor, "ssffsfffs");

    step(TEN_SECONDS, 8);
    runProbes();

    assertThat(streaks())
        .containsExactly(
            "streak 1/3",
            "streak 2/3",
            "streak 1/3",
            "streak 2/3",
            "streak 1/3",
            "streak 1/3",
            "streak 2/3",
            "streak 3/3");
    assertThat(result.join().reason()).isEqualTo("3 consecutive failures: 5xx rate 0.2 at probe 8");
    assertThat(result.join().probes()).isEqualTo(8);
  }

  @Test
  @Timeout(5)
  void anExceptionIsAnErrorWithItsMessage() {
    Monitor monitor = everyTenSeconds("search", 1, 3);
    List<Exception> thrown =
        List.of(
            new IOException("connection refused: es:9200"),
            new ProbeException("query file missing.json not found"),
            new IllegalStateException());
    int[] calls = {0};
    CompletableFuture<MonitorResult> result =
        start(
            monitor,
            () -> {
              throw thrown.get(calls[0]++);
            });

    step(TEN_SECONDS, 2);
    runProbes();

    assertThat(probesFinished())
        .map(e -> e.detail())
        .containsExactly(
            "connection refused: es:9200",
            "query file missing.json not found",
            "IllegalStateException");
    assertThat(result.join().outcome()).isEqualTo(MonitorOutcome.ERROR);
    assertThat(result.join().reason()).isEqualTo("3 consecutive errors: IllegalStateException");
    assertThat(result.join().errors()).isEqualTo(3);
    assertThat(result.join().failures()).isZero();
  }

  @Test
  @Timeout(5)
  void aProbeReturningNullIsAnError() {
    Monitor monitor = everyTenSeconds("api", 1, 1);
    CompletableFuture<MonitorResult> result = start(monitor, () -> null);

    runProbes();

    assertThat(result.join().reason())
        .isEqualTo("1 consecutive error: the probe returned no result");
  }

  @Test
  @Timeout(5)
  void theFirstProbeIsHandedToThePoolAtOnce() {
    Monitor monitor =
        monitor("api", Duration.ofMinutes(1), TEN_SECONDS, Duration.ofMinutes(5), 3, 3);
    ScriptedProbe probe = new ScriptedProbe("s");

    start(monitor, probe);

    assertThat(pool).hasSize(1);
    runProbes();
    assertThat(probe.starts).containsExactly(Duration.ZERO);
  }

  @Test
  @Timeout(5)
  void theIntervalIsMeasuredStartToStart() {
    // Each probe takes 6 s of a 10 s interval; probes still start every 10 s, not every 16 s.
    Monitor monitor = everyTenSeconds("slow", 4, 4);
    ScriptedProbe probe = new ScriptedProbe("s", Duration.ofSeconds(6));
    CompletableFuture<MonitorResult> result = start(monitor, probe);

    for (int i = 0; i < 4; i++) {
      runProbes(); // advances the clock by 6 s
      timer.advance(Duration.ofSeconds(4));
    }

    assertThat(probe.starts)
        .containsExactly(
            Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(30));
    assertThat(result.join().took()).isEqualTo(Duration.ofSeconds(36));
    assertThat(probesFinished()).allMatch(e -> e.took().equals(Duration.ofSeconds(6)));
  }

  @Test
  @Timeout(5)
  void aProbeSlowerThanTheIterationTimeoutIsAnErrorAndItsThreadIsInterrupted() {
    Monitor monitor =
        monitor("slow", TEN_SECONDS, Duration.ofSeconds(5), Duration.ofMinutes(5), 1, 2);
    List<Boolean> interrupted = new ArrayList<>();
    CompletableFuture<MonitorResult> result =
        start(
            monitor,
            () -> {
              timer.advance(Duration.ofSeconds(7)); // the timeout fires at 5 s, meanwhile
              interrupted.add(Thread.currentThread().isInterrupted());
              return ProbeResult.success("too late");
            });

    runProbes();
    assertThat(Thread.currentThread().isInterrupted())
        .as("the pool thread's interrupt is cleared after the probe")
        .isFalse();
    timer.advance(Duration.ofSeconds(3));
    runProbes();

    assertThat(interrupted).containsExactly(true, true);
    assertThat(result.join().outcome()).isEqualTo(MonitorOutcome.ERROR);
    assertThat(result.join().reason()).isEqualTo("2 consecutive errors: timed out after 5s");
    assertThat(probesFinished()).allMatch(e -> e.took().equals(Duration.ofSeconds(5)));
  }

  @Test
  @Timeout(5)
  void aProbeDueWhileThePreviousOneRunsIsSkippedNotQueued() {
    // iteration_timeout above interval: a 22 s probe covers the ticks at 10 s and 20 s.
    Monitor monitor =
        monitor("slow", TEN_SECONDS, Duration.ofSeconds(25), Duration.ofMinutes(5), 2, 2);
    ScriptedProbe probe = new ScriptedProbe("s", Duration.ofSeconds(22));
    CompletableFuture<MonitorResult> result = start(monitor, probe);

    runProbes(); // to 22 s, skipping the ticks at 10 s and 20 s
    timer.advance(Duration.ofSeconds(8));
    runProbes(); // starts at 30 s

    assertThat(probe.starts).containsExactly(Duration.ZERO, Duration.ofSeconds(30));
    assertThat(events)
        .filteredOn(Event.ProbeSkipped.class::isInstance)
        .startsWith(
            new Event.ProbeSkipped("slow", "probe 1 still runs after 10s"),
            new Event.ProbeSkipped("slow", "probe 1 still runs after 20s"));
    assertThat(result.join().probes()).isEqualTo(2);
  }

  @Test
  @Timeout(5)
  void aProbeStillRunningWhenTheNextIsDueAndItsTimeoutToo() {
    // iteration_timeout equal to interval: the overdue probe fails before the next one starts.
    Monitor monitor = everyTenSeconds("slow", 1, 3);
    start(
        monitor,
        () -> {
          timer.advance(Duration.ofSeconds(12));
          return ProbeResult.success("late");
        });

    pool.remove().run();

    assertThat(pool).as("the next probe, handed to the pool at 10 s").hasSize(1);
    assertThat(events).noneMatch(Event.ProbeSkipped.class::isInstance);
    assertThat(probesFinished())
        .containsExactly(
            new Event.ProbeFinished(
                "slow", 1, false, "timed out after 10s", 1, 3, TEN_SECONDS, true));
  }

  @Test
  @Timeout(5)
  void cancellingEndsEveryRunningMonitorAndLaterOnesAtOnce() {
    Monitor monitor = everyTenSeconds("api", 3, 3);
    CompletableFuture<MonitorResult> first = start(monitor, "s");
    CompletableFuture<MonitorResult> second =
        start(everyTenSeconds("db", 3, 3), new ScriptedProbe("f"));
    step(TEN_SECONDS, 1);
    runProbes();

    cancellation.cancel("SIGINT");
    CompletableFuture<MonitorResult> late =
        start(everyTenSeconds("late", 3, 3), new ScriptedProbe("s"));

    assertThat(List.of(first.join(), second.join(), late.join()))
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(MonitorOutcome.CANCELLED);
              assertThat(r.reason()).isEqualTo("cancelled: SIGINT");
            });
    assertThat(first.join().probes()).isEqualTo(2);
    assertThat(first.join().took()).isEqualTo(TEN_SECONDS);
    assertThat(late.join().probes()).isZero();
    assertThat(late.join().took()).isZero();
    timer.advance(Duration.ofMinutes(10));
    assertThat(pool).as("no probe after cancelling").isEmpty();
  }

  @Test
  @Timeout(5)
  void aMonitorStartedWhileAnotherRunsKeepsItsOwnSchedule() {
    Monitor early = everyTenSeconds("early", 5, 5);
    Monitor late = everyTenSeconds("late", 2, 2);
    ScriptedProbe earlyProbe = new ScriptedProbe("s");
    ScriptedProbe lateProbe = new ScriptedProbe("s");
    CompletableFuture<MonitorResult> first = start(early, earlyProbe);
    step(TEN_SECONDS, 1);
    runProbes();
    timer.advance(Duration.ofSeconds(3));

    CompletableFuture<MonitorResult> second = start(late, lateProbe);
    step(Duration.ofSeconds(7), 1);
    step(Duration.ofSeconds(3), 1);
    step(Duration.ofSeconds(7), 1);
    step(Duration.ofSeconds(3), 1);
    step(Duration.ofSeconds(7), 1);
    runProbes();

    assertThat(lateProbe.starts).containsExactly(Duration.ofSeconds(13), Duration.ofSeconds(23));
    assertThat(second.join().outcome()).isEqualTo(MonitorOutcome.PASSED);
    assertThat(earlyProbe.starts)
        .containsExactly(
            Duration.ZERO,
            Duration.ofSeconds(10),
            Duration.ofSeconds(20),
            Duration.ofSeconds(30),
            Duration.ofSeconds(40));
    assertThat(first.join().outcome()).isEqualTo(MonitorOutcome.PASSED);
  }

  @Test
  @Timeout(5)
  void aProbeStillWaitingForAThreadIsNotStartedTwice() {
    Monitor monitor = everyTenSeconds("api", 2, 2);
    ScriptedProbe probe = new ScriptedProbe("s");
    start(monitor, probe);

    timer.advance(TEN_SECONDS); // the pool is saturated: probe 1 has not started yet

    assertThat(pool).hasSize(1);
    assertThat(events)
        .filteredOn(Event.ProbeSkipped.class::isInstance)
        .containsExactly(
            new Event.ProbeSkipped("api", "probe 1 still waits for a thread after 10s"));
    runProbes();
    assertThat(probe.starts).containsExactly(TEN_SECONDS);
  }

  @Test
  @Timeout(5)
  void theTotalTimeoutInterruptsTheRunningProbe() {
    Monitor monitor =
        monitor("api", TEN_SECONDS, Duration.ofMinutes(2), Duration.ofSeconds(30), 2, 2);
    List<Boolean> interrupted = new ArrayList<>();
    CompletableFuture<MonitorResult> result =
        start(
            monitor,
            () -> {
              timer.advance(Duration.ofMinutes(1));
              interrupted.add(Thread.currentThread().isInterrupted());
              return ProbeResult.success("too late");
            });

    runProbes();

    assertThat(interrupted).containsExactly(true);
    assertThat(result.join().reason()).isEqualTo("total timeout 30s reached after 0 probes");
    assertThat(result.join().lastResult()).isEmpty();
    assertThat(result.join().took()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  @Timeout(5)
  void aMonitorCanBeStartedWhenAnotherEnds() {
    Monitor first = everyTenSeconds("first", 1, 1);
    Monitor second = everyTenSeconds("second", 1, 1);
    CompletableFuture<MonitorResult> chained =
        start(first, new ScriptedProbe("s")).thenCompose(r -> start(second, "f"));

    runProbes();

    assertThat(chained.join().monitor()).isEqualTo("second");
    assertThat(chained.join().outcome()).isEqualTo(MonitorOutcome.FAILED);
  }

  @Test
  @Timeout(5)
  void aListenerThatThrowsDoesNotStopTheMonitor() {
    Monitor monitor = everyTenSeconds("api", 2, 2);
    CompletableFuture<MonitorResult> result =
        runner.start(
            monitor,
            new ScriptedProbe("s"),
            e -> {
              throw new IllegalStateException("broken terminal");
            });

    step(TEN_SECONDS, 1);
    runProbes();

    assertThat(result.join().outcome()).isEqualTo(MonitorOutcome.PASSED);
  }

  @Test
  @Timeout(5)
  void aNonPositiveIntervalIsRefused() {
    Monitor monitor = monitor("api", Duration.ZERO, TEN_SECONDS, Duration.ofMinutes(5), 2, 2);

    assertThatThrownBy(() -> start(monitor, "s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("monitor api: interval must be positive, not PT0S");
  }
}
