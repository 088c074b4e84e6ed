package dev.deployer.core.monitor;

import static dev.deployer.core.monitor.Monitors.monitor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.plan.Monitor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The runner on real threads and real time, with short intervals; times are bounded loosely. */
class MonitorRunnerRealTimeTest {
  final Cancellation cancellation = new Cancellation();
  final MonitorRunner runner = new MonitorRunner(4, cancellation);
  final List<Event> events = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() {
    runner.close();
  }

  static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  @Test
  @Timeout(10)
  void probesStartEveryIntervalHoweverLongTheyTake() {
    // Each probe takes 120 ms of a 200 ms interval; starts stay about 200 ms apart, not 320 ms.
    List<Long> starts = Collections.synchronizedList(new ArrayList<>());
    long before = System.nanoTime();
    Monitor monitor =
        monitor("slow", Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(5), 5, 5);

    MonitorResult result =
        runner
            .start(
                monitor,
                () -> {
                  starts.add(millisSince(before));
                  Thread.sleep(120);
                  return ProbeResult.success("ok");
                },
                events::add)
            .join();

    assertThat(result.outcome()).isEqualTo(MonitorOutcome.PASSED);
    assertThat(starts).hasSize(5);
    assertThat(starts.get(0)).as("the first probe runs at once").isLessThan(150);
    long fifth = starts.get(4) - starts.get(0);
    assertThat(fifth)
        .as("4 intervals of 200 ms; back to back would be 1280 ms")
        .isBetween(700L, 1100L);
  }

  /**
   * A probe that counts {@code running} down, then sleeps ten seconds unless interrupted, counting
   * {@code interrupted} down when it is.
   */
  static Probe hangs(CountDownLatch running, CountDownLatch interrupted) {
    return () -> {
      running.countDown();
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        interrupted.countDown();
        throw e;
      }
      return ProbeResult.success("never");
    };
  }

  @Test
  @Timeout(10)
  void aProbeThatSleepsPastTheIterationTimeoutIsAnErrorAndIsInterrupted() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(2);
    Monitor monitor =
        monitor(
            "hung", Duration.ofMillis(200), Duration.ofMillis(100), Duration.ofSeconds(5), 1, 2);
    long before = System.nanoTime();

    MonitorResult result =
        runner.start(monitor, hangs(new CountDownLatch(0), interrupted), events::add).join();

    assertThat(result.outcome()).isEqualTo(MonitorOutcome.ERROR);
    assertThat(result.reason()).isEqualTo("2 consecutive errors: timed out after 100ms");
    assertThat(millisSince(before)).as("about 300 ms").isLessThan(3_000);
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("both hung probes interrupted").isTrue();
  }

  @Test
  @Timeout(10)
  void aMonitorStartedWhileAnotherRunsRunsAlongside() {
    CountDownLatch earlyProbed = new CountDownLatch(2);
    List<String> order = Collections.synchronizedList(new ArrayList<>());
    Monitor early =
        monitor("early", Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5), 8, 3);
    Monitor late =
        monitor("late", Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofSeconds(5), 2, 3);
    CompletableFuture<MonitorResult> first =
        runner.start(
            early,
            () -> {
              order.add("early");
              earlyProbed.countDown();
              return ProbeResult.success("ok");
            },
            events::add);

    assertThat(await(earlyProbed)).isTrue();
    CompletableFuture<MonitorResult> second =
        runner.start(
            late,
            () -> {
              order.add("late");
              return ProbeResult.success("ok");
            },
            events::add);

    assertThat(second.join().outcome()).isEqualTo(MonitorOutcome.PASSED);
    assertThat(first.join().outcome()).isEqualTo(MonitorOutcome.PASSED);
    assertThat(order).startsWith("early", "early").contains("late");
    assertThat(order.stream().filter("late"::equals)).hasSize(2);
    assertThat(order.stream().filter("early"::equals)).hasSize(8);
  }

  @Test
  @Timeout(10)
  void cancellingInterruptsRunningProbesAndEndsEveryMonitor() throws Exception {
    CountDownLatch running = new CountDownLatch(2);
    CountDownLatch interrupted = new CountDownLatch(2);
    Probe hangs = hangs(running, interrupted);
    Monitor a =
        monitor("a", Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 1, 1);
    Monitor b =
        monitor("b", Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(5), 1, 1);
    CompletableFuture<MonitorResult> first = runner.start(a, hangs, events::add);
    CompletableFuture<MonitorResult> second = runner.start(b, hangs, events::add);
    assertThat(await(running)).isTrue();

    cancellation.cancel("SIGTERM");

    assertThat(List.of(first.join(), second.join()))
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(MonitorOutcome.CANCELLED);
              assertThat(r.reason()).isEqualTo("cancelled: SIGTERM");
              assertThat(r.probes()).isZero();
            });
    assertThat(await(interrupted)).isTrue();
  }

  @Test
  @Timeout(10)
  void aClosedRunnerEndsWhatRunsAndRefusesNothing() {
    Monitor monitor =
        monitor("api", Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(5), 9, 9);
    CompletableFuture<MonitorResult> running =
        runner.start(monitor, () -> ProbeResult.success("ok"), events::add);

    runner.close();

    assertThat(running.join().reason()).isEqualTo("cancelled: the monitor runner is closed");
    assertThat(runner.start(monitor, () -> ProbeResult.success("ok"), events::add).join().outcome())
        .isEqualTo(MonitorOutcome.CANCELLED);
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
