package dev.deployer.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which releases failed monitors undo, and how: decided without a cluster, in milliseconds. */
class MonitorActionsTest {
  @TempDir Path dir;
  PlanFiles files;

  /** db feeds api, which feeds web; cache stands apart. api and web watch monitors. */
  static final String PLAN =
      """
      monitors:
        - {name: errors, type: http, http: {url: 'http://x/'}}
        - {name: latency, type: http, http: {url: 'http://x/'}}
      releases:
        - {name: db, namespace: shop, chart: ./c}
        - {name: api, namespace: shop, chart: ./c, depends_on: [db],
           monitors: [{name: errors, action: uninstall}, {name: latency, action: rollback}]}
        - {name: web, namespace: shop, chart: ./c, depends_on: [api],
           monitors: [{name: errors, action: none}]}
        - {name: cache, namespace: shop, chart: ./c}
      """;

  ReleaseGraph graph;

  @BeforeEach
  void plan() {
    files = new PlanFiles(dir);
    files.chart("c");
    graph = files.load(PLAN).graph();
  }

  ScheduleResult allDeployed() {
    return new ScheduleResult(
        graph.releases().stream()
            .map(
                r ->
                    new ReleaseResult(
                        r.uniqueName(),
                        Outcome.DEPLOYED,
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Duration.ZERO,
                        false,
                        Optional.empty()))
            .toList(),
        List.of(),
        List.of(),
        Optional.empty(),
        Duration.ZERO);
  }

  Map<String, List<Release>> watched() {
    Map<String, List<Release>> watched = new LinkedHashMap<>();
    for (Release r : graph.releases()) {
      for (MonitorRef m : r.monitors()) {
        watched.computeIfAbsent(m.name(), k -> new java.util.ArrayList<>()).add(r);
      }
    }
    return watched;
  }

  static MonitorStage.MonitorResultLine line(String monitor, MonitorOutcome outcome) {
    return new MonitorStage.MonitorResultLine(monitor, outcome, 3, 0, 0, "", "");
  }

  /** The decision on every release deployed, with the plan's watchers, for these monitor lines. */
  MonitorActions.Decision decide(
      List<MonitorStage.MonitorResultLine> monitors, List<Release> changed, RollbackScope scope) {
    return MonitorActions.decide(graph, allDeployed(), monitors, watched(), changed, scope);
  }

  List<String> steps(MonitorActions.Decision d) {
    return d.steps().stream()
        .map(s -> s.release().uniqueName() + " " + s.action().yamlName() + ": " + s.why())
        .toList();
  }

  @Test
  void passedAndErredMonitorsUndoNothing() {
    MonitorActions.Decision d =
        decide(
            List.of(line("errors", MonitorOutcome.ERROR), line("latency", MonitorOutcome.PASSED)),
            graph.reversed().releases(),
            RollbackScope.PLAN);

    assertThat(d.steps()).isEmpty();
    assertThat(d.conflicts()).isEmpty();
  }

  @Test
  void conflictingActionsOnOneReleaseResolveToTheSafestWithAConflictToWarnOf() {
    MonitorActions.Decision d =
        decide(
            List.of(line("errors", MonitorOutcome.FAILED), line("latency", MonitorOutcome.FAILED)),
            List.of(),
            RollbackScope.RELEASE);

    assertThat(steps(d))
        .containsExactly(
            "web@shop none: monitor errors failed",
            "api@shop rollback: monitor errors failed, latency failed");
    assertThat(d.conflicts())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.release()).isEqualTo("api@shop");
              assertThat(c.chosen()).isEqualTo(MonitorRef.Action.ROLLBACK);
              assertThat(c.asked())
                  .containsExactlyInAnyOrder(
                      MonitorRef.Action.UNINSTALL, MonitorRef.Action.ROLLBACK);
            });
  }

  @Test
  void scopeDependentsWidensARollbackToDependentsThatDeployedInThisRun() {
    MonitorActions.Decision d =
        decide(
            List.of(line("latency", MonitorOutcome.FAILED)), List.of(), RollbackScope.DEPENDENTS);

    assertThat(steps(d))
        .containsExactly(
            "web@shop rollback: depends on api@shop, rolled back",
            "api@shop rollback: monitor latency failed");
  }

  @Test
  void scopePlanRollsBackEveryReleaseTheRunChangedDependentsFirst() {
    List<Release> changed =
        graph.reversed().releases().stream().filter(r -> !r.name().equals("cache")).toList();

    MonitorActions.Decision d =
        decide(List.of(line("latency", MonitorOutcome.FAILED)), changed, RollbackScope.PLAN);

    assertThat(steps(d))
        .containsExactly(
            "web@shop rollback: rolled back with the plan",
            "api@shop rollback: monitor latency failed",
            "db@shop rollback: rolled back with the plan");
  }

  @Test
  void anUninstallIsNeverWidenedByTheScope() {
    MonitorActions.Decision d =
        decide(
            List.of(line("errors", MonitorOutcome.FAILED)),
            graph.reversed().releases(),
            RollbackScope.PLAN);

    assertThat(steps(d))
        .containsExactly(
            "web@shop none: monitor errors failed", "api@shop uninstall: monitor errors failed");
  }
}
