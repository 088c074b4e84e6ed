package dev.deployer.core.deploy;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Release;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What failed monitors do to a run's releases, decided without touching anything: a pure function
 * from the graph, the schedule's result, the monitors' results and the rollback scope to the
 * ordered undo steps. Each failed monitor asks for its action on the releases that reference it;
 * conflicting actions on one release resolve to the safest (rollback, then uninstall, then none),
 * with a warning; the rollback scope widens a rollback to dependents that deployed in this run, or
 * to every release the run changed.
 */
final class MonitorActions {
  private MonitorActions() {}

  /** One release to undo, and why. */
  record Step(Release release, MonitorRef.Action action, String why) {}

  /** Failed monitors asked for different actions on one release; {@code chosen} is done. */
  record Conflict(String release, Set<MonitorRef.Action> asked, MonitorRef.Action chosen) {}

  /**
   * @param steps dependents first (the reverse of the graph's order)
   */
  record Decision(List<Step> steps, List<Conflict> conflicts) {
    Decision {
      steps = List.copyOf(steps);
      conflicts = List.copyOf(conflicts);
    }
  }

  /**
   * @param watched the releases that reference each monitor
   * @param changed the releases this run changed, dependents first (for {@link RollbackScope#PLAN})
   */
  static Decision decide(
      ReleaseGraph graph,
      ScheduleResult result,
      List<MonitorStage.MonitorResultLine> monitors,
      Map<String, List<Release>> watched,
      List<Release> changed,
      RollbackScope scope) {
    Map<String, MonitorRef.Action> actions = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    Map<String, Set<MonitorRef.Action>> asked = new LinkedHashMap<>();
    for (MonitorStage.MonitorResultLine line : monitors) {
      if (line.outcome() != MonitorOutcome.FAILED) {
        continue;
      }
      for (Release r : watched.getOrDefault(line.monitor(), List.of())) {
        MonitorRef.Action action =
            r.monitors().stream()
                .filter(m -> m.name().equals(line.monitor()))
                .findFirst()
                .orElseThrow()
                .action();
        asked.computeIfAbsent(r.uniqueName(), k -> new TreeSet<>()).add(action);
        actions.merge(r.uniqueName(), action, MonitorActions::safest);
        why.merge(
            r.uniqueName(),
            "monitor " + line.monitor() + " failed",
            (a, b) -> a + ", " + b.substring("monitor ".length()));
      }
    }
    List<Conflict> conflicts = new ArrayList<>();
    asked.forEach(
        (release, set) -> {
          if (set.size() > 1) {
            conflicts.add(new Conflict(release, set, actions.get(release)));
          }
        });
    boolean anyRollback = actions.values().stream().anyMatch(a -> a == MonitorRef.Action.ROLLBACK);
    if (anyRollback && scope == RollbackScope.DEPENDENTS) {
      Deque<Release> todo = new ArrayDeque<>();
      actions.forEach(
          (name, a) -> {
            if (a == MonitorRef.Action.ROLLBACK) {
              todo.add(graph.release(name));
            }
          });
      while (!todo.isEmpty()) {
        Release r = todo.poll();
        for (Release d : graph.dependentsOf(r)) {
          if (result.result(d.uniqueName()).outcome() == Outcome.DEPLOYED
              && !actions.containsKey(d.uniqueName())) {
            actions.put(d.uniqueName(), MonitorRef.Action.ROLLBACK);
            why.put(d.uniqueName(), "depends on " + r.uniqueName() + ", rolled back");
            todo.add(d);
          }
        }
      }
    } else if (anyRollback && scope == RollbackScope.PLAN) {
      for (Release r : changed) {
        if (!actions.containsKey(r.uniqueName())) {
          actions.put(r.uniqueName(), MonitorRef.Action.ROLLBACK);
          why.put(r.uniqueName(), "rolled back with the plan");
        }
      }
    }
    List<Step> steps = new ArrayList<>();
    for (Release r : graph.reversed().releases()) {
      MonitorRef.Action action = actions.get(r.uniqueName());
      if (action != null) {
        steps.add(new Step(r, action, why.get(r.uniqueName())));
      }
    }
    return new Decision(steps, conflicts);
  }

  static MonitorRef.Action safest(MonitorRef.Action a, MonitorRef.Action b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(MonitorRef.Action a) {
    return switch (a) {
      case ROLLBACK -> 2;
      case UNINSTALL -> 1;
      case NONE -> 0;
    };
  }
}
