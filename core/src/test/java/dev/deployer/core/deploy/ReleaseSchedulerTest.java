package dev.deployer.core.deploy;

import static dev.deployer.core.deploy.ScheduleAssertions.assertThatJournal;
import static dev.deployer.core.deploy.ScheduleAssertions.assertThatRun;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ReleaseSchedulerTest {
  @TempDir Path dir;
  PlanFiles files;
  final ScriptedTask task = new ScriptedTask();
  final List<Event> events = new ArrayList<>();
  final EventListener listener =
      e -> {
        synchronized (events) {
          events.add(e);
        }
      };

  /** db feeds api and cache, which feed web, which feeds edge; x -> y -> z stands apart. */
  static final String DIAMOND_AND_CHAIN =
      """
      releases:
        - {name: db, namespace: shop, chart: ./c}
        - {name: api, namespace: shop, chart: ./c, depends_on: [db]}
        - {name: cache, namespace: shop, chart: ./c, depends_on: [db]}
        - {name: web, namespace: shop, chart: ./c, depends_on: [api, cache]}
        - {name: edge, namespace: shop, chart: ./c, depends_on: [web]}
        - {name: x, namespace: ops, chart: ./c}
        - {name: y, namespace: ops, chart: ./c, depends_on: [x]}
        - {name: z, namespace: ops, chart: ./c, depends_on: [y]}
      """;

  @BeforeEach
  void chart() {
    files = new PlanFiles(dir);
    files.chart("c");
  }

  private ReleaseGraph graph(String plan) {
    return files.load(plan).graph();
  }

  private ScheduleResult run(String plan, int parallelLimit) {
    return ReleaseScheduler.create(parallelLimit).run(graph(plan), task, listener);
  }

  @Test
  @Timeout(10)
  void everyReleaseDeploysAfterWhatItDependsOn() {
    ReleaseGraph graph = graph(DIAMOND_AND_CHAIN);

    ScheduleResult result =
        ReleaseScheduler.create(ReleaseScheduler.UNLIMITED).run(graph, task, listener);

    assertThatRun(result)
        .succeeded()
        .deployed("db@shop", "api@shop", "cache@shop", "web@shop", "edge@shop", "x@ops", "y@ops");
    assertThat(result.releases())
        .extracting(ReleaseResult::release)
        .containsExactlyElementsOf(graph.releases().stream().map(Release::uniqueName).toList());
    assertThat(result.startOrder()).hasSize(8);
    assertThat(result.finishOrder()).hasSize(8);
    assertThat(result.cancelled()).isFalse();
    assertThatJournal(task).startedAfterTheirDependencies(graph);
  }

  @Test
  @Timeout(10)
  void turnedAroundForDownAFailedReleaseSkipsWhatItDependsOnNamingItADependent() {
    task.failing("web@shop", "uninstall failed: connection refused");

    ScheduleResult result =
        ReleaseScheduler.create(ReleaseScheduler.UNLIMITED)
            .run(graph(DIAMOND_AND_CHAIN).reversed(), task, listener);

    assertThatRun(result)
        .failed()
        .deployed("edge@shop", "z@ops", "y@ops", "x@ops")
        .hasSummary("api@shop", "skipped: dependent web@shop failed")
        .hasSummary("cache@shop", "skipped: dependent web@shop failed")
        .hasSummary("db@shop", "skipped: dependent web@shop failed (through cache@shop, api@shop)");
    assertThatJournal(task).neverStarted("api@shop", "cache@shop", "db@shop");
  }

  @Test
  @Timeout(10)
  void aFailedReleaseSkipsWhatDependsOnItAndTheRestGoesOn() {
    task.failing("api@shop", "UPGRADE FAILED: timed out waiting for the condition");

    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThatRun(result)
        .failed()
        .deployed("db@shop", "cache@shop", "x@ops", "y@ops", "z@ops")
        .hasSummary("api@shop", "failed: UPGRADE FAILED: timed out waiting for the condition")
        .hasSummary("web@shop", "skipped: dependency api@shop failed")
        .hasSummary("edge@shop", "skipped: dependency api@shop failed (through web@shop)");
    assertThatJournal(task).neverStarted("web@shop", "edge@shop");
    assertThat(result.withOutcome(Outcome.SKIPPED))
        .allSatisfy(
            r -> {
              assertThat(r.started()).isEmpty();
              assertThat(r.finished()).isEmpty();
              assertThat(r.duration()).isZero();
            });
    assertThat(result.startOrder()).doesNotContain("web@shop", "edge@shop");
  }

  @Test
  @Timeout(10)
  void aReleaseSkippedForSeveralFailuresNamesThemAll() {
    task.failing("api@shop", "api broke").failing("cache@shop", "cache broke");

    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThatRun(result)
        .hasSummary("web@shop", "skipped: dependencies api@shop, cache@shop failed")
        .hasSummary(
            "edge@shop", "skipped: dependencies api@shop, cache@shop failed (through web@shop)")
        .deployed("db@shop", "z@ops");
  }

  @Test
  @Timeout(10)
  void allowFailureLetsDependentsProceedButTheRunStillFails() {
    task.failing("api@shop", "api broke");

    ScheduleResult result =
        run(
            DIAMOND_AND_CHAIN.replace(
                "{name: api, namespace: shop, chart: ./c,",
                "{name: api, namespace: shop, chart: ./c, allow_failure: true,"),
            ReleaseScheduler.UNLIMITED);

    assertThatRun(result)
        .failed()
        .hasSummary("api@shop", "failed: api broke")
        .deployed("db@shop", "cache@shop", "web@shop", "edge@shop", "z@ops");
    assertThat(result.result("api@shop").failureAllowed()).isTrue();
    assertThatJournal(task).startedAfterFinishOf("web@shop", "api@shop");
  }

  @Test
  @Timeout(10)
  void aReleaseWithoutAllowFailureIsNotExcusedByItsNeighbour() {
    task.failing("api@shop", "api broke");

    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThat(result.result("api@shop").failureAllowed()).isFalse();
  }

  @Test
  @Timeout(10)
  void unchangedIsASuccessThatDependentsBuildOn() {
    task.on("db@shop", r -> new TaskResult(Outcome.UNCHANGED, Optional.of("no changes")));

    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThatRun(result)
        .succeeded()
        .hasSummary("db@shop", "unchanged: no changes")
        .deployed("api@shop", "web@shop", "edge@shop");
  }

  @Test
  @Timeout(10)
  void theParallelLimitIsReachedButNeverExceeded() {
    int limit = 3;
    StringBuilder plan = new StringBuilder("releases:\n");
    for (int i = 0; i < 12; i++) {
      String deps = i >= 8 ? ", depends_on: [r" + (i - 8) + ", r" + (i - 4) + "]" : "";
      plan.append("  - {name: r").append(i).append(", chart: ./c").append(deps).append("}\n");
    }
    ReleaseGraph graph = graph(plan.toString());
    // The first tasks wait until `limit` run at once: a scheduler that starts fewer hangs them.
    CountDownLatch full = new CountDownLatch(limit);
    for (int i = 0; i < 12; i++) {
      task.on(
          "r" + i + "@default",
          r -> {
            full.countDown();
            return ScriptedTask.await(full, r.uniqueName());
          });
    }

    ScheduleResult result = ReleaseScheduler.create(limit).run(graph, task, listener);

    assertThatRun(result).succeeded();
    assertThat(task.mostRunningAtOnce()).isEqualTo(limit);
    assertThatJournal(task).ranAtMostAtOnce(limit).startedAfterTheirDependencies(graph);
    // The scheduler's own view, exact whatever the threads' timing: starts not yet finished.
    assertThat(mostInFlight()).isEqualTo(limit);
  }

  /** The most releases started and not yet finished at any point of the events. */
  private int mostInFlight() {
    Set<String> inFlight = new HashSet<>();
    int most = 0;
    synchronized (events) {
      for (Event e : events) {
        if (e instanceof Event.ReleaseStarted started) {
          inFlight.add(started.release());
          most = Math.max(most, inFlight.size());
        } else if (e instanceof Event.ReleaseFinished finished) {
          inFlight.remove(finished.release());
        }
      }
    }
    return most;
  }

  @Test
  @Timeout(10)
  void unlimitedStartsEveryReadyReleaseAtOnce() {
    int n = 16;
    StringBuilder plan = new StringBuilder("releases:\n");
    for (int i = 0; i < n; i++) {
      plan.append("  - {name: r").append(i).append(", chart: ./c}\n");
    }
    CountDownLatch allIn = new CountDownLatch(n);
    for (int i = 0; i < n; i++) {
      task.on(
          "r" + i + "@default",
          r -> {
            allIn.countDown();
            return ScriptedTask.await(allIn, r.uniqueName());
          });
    }

    ScheduleResult result = run(plan.toString(), ReleaseScheduler.UNLIMITED);

    assertThatRun(result).succeeded();
    assertThat(task.mostRunningAtOnce()).isEqualTo(n);
  }

  @Test
  @Timeout(30)
  void aReleaseStartsBeforeAnUnrelatedSlowReleaseOfAnEarlierLayerFinishes() {
    // slow and a form the first layer, b the second. slow ends only once b has run, so a scheduler
    // with a barrier between layers would leave slow waiting in vain.
    CountDownLatch bRan = new CountDownLatch(1);
    task.waitingFor("slow@x", bRan)
        .on(
            "b@x",
            r -> {
              bRan.countDown();
              return TaskResult.deployed();
            });

    ScheduleResult result =
        run(
            """
            releases:
              - {name: slow, namespace: x, chart: ./c}
              - {name: a, namespace: x, chart: ./c}
              - {name: b, namespace: x, chart: ./c, depends_on: [a]}
            """,
            ReleaseScheduler.UNLIMITED);

    assertThatRun(result).succeeded();
    assertThatJournal(task)
        .startedAfterFinishOf("b@x", "a@x")
        .startedBeforeFinishOf("b@x", "slow@x");
    assertThat(result.finishOrder()).containsSubsequence("a@x", "b@x");
  }

  @Test
  @Timeout(10)
  void releasesReadyTogetherStartInGraphOrder() {
    ReleaseGraph graph =
        graph(
            """
            releases:
              - {name: m, chart: ./c}
              - {name: k, chart: ./c, depends_on: [q]}
              - {name: q, chart: ./c}
              - {name: a, chart: ./c, depends_on: [m]}
              - {name: z, chart: ./c}
            """);

    for (int attempt = 0; attempt < 5; attempt++) {
      ScheduleResult result = ReleaseScheduler.create(1).run(graph, new ScriptedTask(), listener);

      assertThat(result.startOrder())
          .containsExactlyElementsOf(graph.releases().stream().map(Release::uniqueName).toList());
    }
  }

  @Test
  @Timeout(30)
  void cancellingLetsRunningTasksFinishAndCancelsTheRest() throws Exception {
    Cancellation cancellation = new Cancellation();
    CountDownLatch bothRunning = new CountDownLatch(2);
    CountDownLatch cancelled = new CountDownLatch(1);
    ScriptedTask.Step blockUntilCancelled =
        r -> {
          bothRunning.countDown();
          return ScriptedTask.await(cancelled, r.uniqueName());
        };
    task.on("a@x", blockUntilCancelled).on("d@x", blockUntilCancelled);
    CompletableFuture<Void> ctrlC =
        CompletableFuture.runAsync(
            () -> {
              try {
                if (bothRunning.await(ScriptedTask.PATIENCE_SECONDS, TimeUnit.SECONDS)) {
                  cancellation.cancel("interrupted by SIGTERM");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                cancelled.countDown();
              }
            });

    ScheduleResult result =
        ReleaseScheduler.create(ReleaseScheduler.UNLIMITED)
            .run(
                graph(
                    """
                    releases:
                      - {name: a, namespace: x, chart: ./c}
                      - {name: b, namespace: x, chart: ./c, depends_on: [a]}
                      - {name: c, namespace: x, chart: ./c, depends_on: [b]}
                      - {name: d, namespace: x, chart: ./c}
                      - {name: e, namespace: x, chart: ./c, depends_on: [d]}
                    """),
                task,
                listener,
                cancellation);
    ctrlC.get(ScriptedTask.PATIENCE_SECONDS, TimeUnit.SECONDS);

    assertThatRun(result)
        .failed()
        .deployed("a@x", "d@x")
        .hasSummary("b@x", "cancelled: interrupted by SIGTERM")
        .hasSummary("c@x", "cancelled: interrupted by SIGTERM")
        .hasSummary("e@x", "cancelled: interrupted by SIGTERM");
    assertThat(result.cancellation()).contains("interrupted by SIGTERM");
    assertThat(result.startOrder()).containsExactly("a@x", "d@x");
    assertThat(task.interrupted()).isEmpty();
  }

  @Test
  @Timeout(10)
  void aRunCancelledBeforeItStartsRunsNothing() {
    Cancellation cancellation = new Cancellation();
    cancellation.cancel("deploy window closed");

    ScheduleResult result =
        ReleaseScheduler.create(2).run(graph(DIAMOND_AND_CHAIN), task, listener, cancellation);

    assertThat(result.releases())
        .extracting(ReleaseResult::summary)
        .containsOnly("cancelled: deploy window closed");
    assertThat(task.journal()).isEmpty();
    assertThat(result.startOrder()).isEmpty();
  }

  @Test
  @Timeout(30)
  void aCancelledRunStillSkipsTheDependentsOfAFailure() {
    Cancellation cancellation = new Cancellation();
    CountDownLatch failed = new CountDownLatch(1);
    task.on(
            "bad@x",
            r -> {
              failed.countDown();
              return TaskResult.failed("bad broke");
            })
        .on(
            "slow@x",
            r -> {
              // Cancel once bad has failed, while this task still runs.
              ScriptedTask.await(failed, "slow@x");
              cancellation.cancel("interrupted");
              return TaskResult.deployed();
            });

    ScheduleResult result =
        ReleaseScheduler.create(ReleaseScheduler.UNLIMITED)
            .run(
                graph(
                    """
                    releases:
                      - {name: bad, namespace: x, chart: ./c}
                      - {name: slow, namespace: x, chart: ./c}
                      - {name: both, namespace: x, chart: ./c, depends_on: [bad, slow]}
                      - {name: after, namespace: x, chart: ./c, depends_on: [slow]}
                    """),
                task,
                listener,
                cancellation);

    assertThatRun(result)
        .hasSummary("bad@x", "failed: bad broke")
        .deployed("slow@x")
        .hasSummary("both@x", "skipped: dependency bad@x failed")
        .hasSummary("after@x", "cancelled: interrupted");
  }

  @Test
  @Timeout(30)
  void interruptingTheCallerCancelsTheRunAndKeepsTheInterrupt() throws Exception {
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    task.on(
        "a@x",
        r -> {
          running.countDown();
          return ScriptedTask.await(release, "a@x");
        });
    ReleaseGraph graph =
        graph(
            """
            releases:
              - {name: a, namespace: x, chart: ./c}
              - {name: b, namespace: x, chart: ./c, depends_on: [a]}
            """);
    Cancellation cancellation = new Cancellation();
    CountDownLatch cancelled = new CountDownLatch(1);
    cancellation.onCancel(cancelled::countDown);
    AtomicReference<ScheduleResult> result = new AtomicReference<>();
    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread caller =
        new Thread(
            () -> {
              result.set(ReleaseScheduler.create(0).run(graph, task, listener, cancellation));
              stillInterrupted.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    assertThat(running.await(ScriptedTask.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    assertThat(cancelled.await(ScriptedTask.PATIENCE_SECONDS, TimeUnit.SECONDS)).isTrue();
    release.countDown();
    caller.join(TimeUnit.SECONDS.toMillis(ScriptedTask.PATIENCE_SECONDS));

    assertThat(caller.isAlive()).isFalse();
    assertThatRun(result.get()).deployed("a@x").hasSummary("b@x", "cancelled: interrupted");
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(task.interrupted()).isEmpty();
  }

  @Test
  @Timeout(10)
  void aTaskThatThrowsFailsOnlyItsRelease() {
    task.on(
            "api@shop",
            r -> {
              throw new IllegalStateException("connection refused: kube-apiserver:6443");
            })
        .on(
            "y@ops",
            r -> {
              throw new StackOverflowError();
            });

    ScheduleResult result = run(DIAMOND_AND_CHAIN, 2);

    assertThatRun(result)
        .hasSummary("api@shop", "failed: connection refused: kube-apiserver:6443")
        .hasSummary("web@shop", "skipped: dependency api@shop failed")
        .hasSummary("y@ops", "failed: unexpected java.lang.StackOverflowError")
        .hasSummary("z@ops", "skipped: dependency y@ops failed")
        .deployed("db@shop", "cache@shop", "x@ops");
    assertThat(result.result("api@shop").error()).containsInstanceOf(IllegalStateException.class);
    assertThat(result.result("cache@shop").error()).isEmpty();
  }

  @Test
  @Timeout(10)
  void aTaskThatReturnsNothingFails() {
    task.on("db@shop", r -> null);

    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThatRun(result)
        .hasSummary("db@shop", "failed: the task returned no result")
        .hasSummary("api@shop", "skipped: dependency db@shop failed")
        .deployed("z@ops");
  }

  @Test
  @Timeout(10)
  void eventsTellEveryStartAndEveryEnd() {
    task.failing("api@shop", "api broke");

    ScheduleResult result = run(DIAMOND_AND_CHAIN, 1);

    List<Event> seen;
    synchronized (events) {
      seen = List.copyOf(events);
    }
    List<String> started =
        seen.stream()
            .filter(Event.ReleaseStarted.class::isInstance)
            .map(e -> ((Event.ReleaseStarted) e).release())
            .toList();
    List<Event.ReleaseFinished> finished =
        seen.stream()
            .filter(Event.ReleaseFinished.class::isInstance)
            .map(Event.ReleaseFinished.class::cast)
            .toList();
    assertThat(started).isEqualTo(result.startOrder());
    assertThat(finished).hasSize(8);
    assertThat(finished)
        .filteredOn(e -> e.release().equals("web@shop"))
        .singleElement()
        .isEqualTo(
            new Event.ReleaseFinished(
                "web@shop",
                Outcome.SKIPPED,
                Duration.ZERO,
                Optional.of("dependency api@shop failed")));
    for (String release : result.startOrder()) {
      int start =
          java.util.stream.IntStream.range(0, seen.size())
              .filter(
                  i -> seen.get(i) instanceof Event.ReleaseStarted s && s.release().equals(release))
              .findFirst()
              .orElseThrow();
      assertThat(finished)
          .filteredOn(e -> e.release().equals(release))
          .singleElement()
          .satisfies(e -> assertThat(seen.indexOf(e)).isGreaterThan(start));
    }
  }

  @Test
  @Timeout(10)
  void aListenerThatThrowsDoesNotStopTheRun() {
    ScheduleResult result =
        ReleaseScheduler.create(ReleaseScheduler.UNLIMITED)
            .run(
                graph(DIAMOND_AND_CHAIN),
                task,
                e -> {
                  throw new IllegalStateException("terminal gone");
                });

    assertThatRun(result).succeeded();
  }

  @Test
  @Timeout(10)
  void resultsTellWhenEachTaskRan() {
    ScheduleResult result = run(DIAMOND_AND_CHAIN, ReleaseScheduler.UNLIMITED);

    assertThat(result.releases())
        .allSatisfy(
            r -> {
              assertThat(r.started()).isPresent();
              assertThat(r.finished()).isPresent();
              assertThat(r.finished().get()).isAfterOrEqualTo(r.started().get());
              assertThat(r.duration().isNegative()).isFalse();
            });
    assertThat(result.took()).isPositive();
  }

  @Test
  @Timeout(30)
  void aFailureAtTheHeadOfALongChainSkipsTheWholeChain() {
    int n = 1500;
    StringBuilder plan = new StringBuilder("releases:\n  - {name: r0, chart: ./c}\n");
    for (int i = 1; i < n; i++) {
      plan.append("  - {name: r").append(i).append(", chart: ./c, depends_on: [r");
      plan.append(i - 1).append("]}\n");
    }
    task.failing("r0@default", "r0 broke");

    ScheduleResult result = run(plan.toString(), ReleaseScheduler.UNLIMITED);

    assertThat(result.withOutcome(Outcome.SKIPPED)).hasSize(n - 1);
    assertThatRun(result)
        .hasSummary("r1@default", "skipped: dependency r0@default failed")
        .hasSummary(
            "r1499@default", "skipped: dependency r0@default failed (through r1498@default)");
    assertThat(result.startOrder()).containsExactly("r0@default");
  }

  @Test
  @Timeout(10)
  void anEmptyGraphIsASuccess() {
    ScheduleResult result = run("releases: []\n", ReleaseScheduler.UNLIMITED);

    assertThatRun(result).succeeded();
    assertThat(result.releases()).isEmpty();
  }

  @Test
  @Timeout(10)
  void aNegativeParallelLimitIsRefused() {
    assertThatThrownBy(() -> ReleaseScheduler.create(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("parallel limit must be 0 (unlimited) or more, not -1");
  }

  @Test
  @Timeout(10)
  void aTaskCannotReportASkip() {
    assertThatThrownBy(() -> new TaskResult(Outcome.SKIPPED, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "a task ends deployed, unchanged, rolled back, uninstalled, not installed or failed,"
                + " not skipped");
  }
}
