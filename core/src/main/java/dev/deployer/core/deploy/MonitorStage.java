package dev.deployer.core.deploy;

import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.monitor.MonitorResult;
import dev.deployer.core.monitor.MonitorRunner;
import dev.deployer.core.monitor.ProbeResult;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The monitors of a run: each starts the moment every release that references it has succeeded,
 * while unrelated releases are still deploying.
 */
final class MonitorStage {
  private final ProbeFactory probes;
  private final MonitorRunner runner;
  private final EventListener listener;
  private final Map<String, Monitor> monitors = new LinkedHashMap<>();
  private final Map<String, List<Release>> watched = new LinkedHashMap<>();
  private final Map<String, Outcome> finished = new LinkedHashMap<>();
  private final Map<String, CompletableFuture<MonitorResult>> running = new LinkedHashMap<>();
  private final Map<String, String> notRun = new LinkedHashMap<>();

  MonitorStage(
      Plan plan,
      ReleaseGraph graph,
      ProbeFactory probes,
      MonitorRunner runner,
      EventListener listener) {
    this.probes = probes;
    this.runner = runner;
    this.listener = listener;
    for (Release r : graph.releases()) {
      for (MonitorRef ref : r.monitors()) {
        plan.monitor(ref.name())
            .ifPresent(
                m -> {
                  monitors.put(m.name(), m);
                  watched.computeIfAbsent(m.name(), k -> new ArrayList<>()).add(r);
                });
      }
    }
  }

  boolean isEmpty() {
    return monitors.isEmpty();
  }

  /**
   * The scheduler's signal that a release settled: starts the monitors whose releases have all
   * succeeded, and marks not run those with a release that did not.
   */
  synchronized void settled(ReleaseResult release) {
    finished.put(release.release(), release.outcome());
    for (Map.Entry<String, List<Release>> e : watched.entrySet()) {
      String name = e.getKey();
      if (running.containsKey(name) || notRun.containsKey(name)) {
        continue;
      }
      Set<String> waitingFor = new LinkedHashSet<>();
      String failedRelease = null;
      for (Release r : e.getValue()) {
        Outcome o = finished.get(r.uniqueName());
        if (o == null) {
          waitingFor.add(r.uniqueName());
        } else if (!o.succeeded()) {
          failedRelease = r.uniqueName() + " " + o.word();
        }
      }
      if (failedRelease != null) {
        notRun.put(name, "not run: " + failedRelease);
      } else if (waitingFor.isEmpty()) {
        start(name);
      }
    }
  }

  private void start(String name) {
    Monitor monitor = monitors.get(name);
    try {
      running.put(name, runner.start(monitor, probes.create(monitor, watched.get(name)), listener));
    } catch (RuntimeException e) {
      // A probe that cannot be made learns nothing: an error, unless errors count as failures.
      running.put(
          name,
          CompletableFuture.completedFuture(
              MonitorResult.withoutProbes(
                  name,
                  monitor.onError() == Monitor.OnError.FAIL
                      ? MonitorOutcome.FAILED
                      : MonitorOutcome.ERROR,
                  "cannot probe: " + e.getMessage())));
    }
  }

  /** Releases that reference a monitor, by monitor. */
  Map<String, List<Release>> watched() {
    return watched;
  }

  /** Waits for every monitor that started; those that never started are reported not run. */
  List<MonitorResultLine> await() {
    List<MonitorResultLine> out = new ArrayList<>();
    for (String name : monitors.keySet()) {
      CompletableFuture<MonitorResult> future;
      String skipped;
      synchronized (this) {
        future = running.get(name);
        skipped = notRun.getOrDefault(name, "not run: the run ended first");
      }
      if (future == null) {
        out.add(new MonitorResultLine(name, MonitorOutcome.NOT_RUN, 0, 0, 0, "", skipped));
        continue;
      }
      try {
        MonitorResult r = future.get();
        out.add(
            new MonitorResultLine(
                name,
                r.outcome(),
                r.probes(),
                r.failures(),
                r.errors(),
                r.lastResult().map(ProbeResult::detail).orElse(""),
                r.reason()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        out.add(new MonitorResultLine(name, MonitorOutcome.CANCELLED, 0, 0, 0, "", "interrupted"));
      } catch (ExecutionException e) {
        out.add(
            new MonitorResultLine(
                name, MonitorOutcome.ERROR, 0, 0, 0, "", String.valueOf(e.getCause())));
      }
    }
    return out;
  }

  /**
   * A monitor's result before actions were decided.
   *
   * @param outcome as {@link MonitorReport#outcome()}: only {@link MonitorOutcome#FAILED} triggers
   *     an action
   */
  record MonitorResultLine(
      String monitor,
      MonitorOutcome outcome,
      int probes,
      int failures,
      int errors,
      String lastResult,
      String reason) {}
}
