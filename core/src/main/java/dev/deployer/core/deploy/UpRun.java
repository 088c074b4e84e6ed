package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.monitor.MonitorRunner;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code up}: every selected release upgraded ({@link Upgrade}) as soon as what it depends on
 * succeeded; monitors started as their releases settle; then the undo that failed monitors or
 * {@code --rollback-on-failure plan} ask for; and the report.
 */
@SuppressWarnings("try") // a lock is held for its block, not used in it
final class UpRun {
  /** How long an undo waits for a release's lock, which another run may hold. */
  private static final Duration UNDO_LOCK_TIMEOUT = Duration.ofSeconds(30);

  private final Cluster cluster;
  private final ProbeFactory probes;
  private final LoadedPlan loaded;
  private final HookRunner hooks;
  private final UpRequest request;
  private final EventListener listener;
  private final Cancellation cancellation;

  /** Each release's revision before this run, for those installed. */
  private final Map<String, Integer> before = new ConcurrentHashMap<>();

  /** Each release's revision this run wrote (or its undo left). */
  private final Map<String, Integer> after = new ConcurrentHashMap<>();

  private final Map<String, Undo> undone = new ConcurrentHashMap<>();

  /** How each release's deploy-time render differed from the reviewed one. */
  private final Map<String, String> drift = new ConcurrentHashMap<>();

  private final Upgrade upgrade;

  UpRun(
      Cluster cluster,
      ProbeFactory probes,
      LoadedPlan loaded,
      HookRunner hooks,
      UpRequest request,
      EventListener listener,
      Cancellation cancellation) {
    this.cluster = cluster;
    this.probes = probes;
    this.loaded = loaded;
    this.hooks = hooks;
    this.request = request;
    this.listener = listener;
    this.cancellation = cancellation;
    this.upgrade =
        new Upgrade(
            cluster, loaded.dir(), hooks, request, listener, cancellation, before, after, drift);
  }

  /** Deploys the loaded plan: its hooks, its releases, then what its monitors decide. */
  RunReport run() {
    hooks.run(loaded.plan().lifecycle(), Lifecycle.Phase.PRE_UP, Optional.empty(), listener);
    ScheduleResult result;
    List<MonitorReport> monitors;
    try (MonitorRunner runner = new MonitorRunner(cancellation)) {
      MonitorStage stage =
          new MonitorStage(loaded.plan(), loaded.graph(), probes, runner, listener);
      result =
          ReleaseScheduler.create(request.parallelLimit())
              .run(loaded.graph(), upgrade::run, listener, cancellation, stage::settled);
      List<MonitorStage.MonitorResultLine> results = stage.await();
      if (!result.succeeded() && request.rollbackPlanOnFailure()) {
        undo(changedBy(result), "rolled back with the plan");
      }
      monitors = applyMonitorActions(result, stage, results);
    }
    // A signal in the monitor phase comes after the schedule ended: the run is interrupted too.
    RunReport report =
        RunReports.report(
            "up",
            result,
            result.cancelled() || cancellation.isCancelled(),
            before,
            after,
            undone,
            monitors,
            drift);
    if (report.succeeded()) {
      hooks.run(loaded.plan().lifecycle(), Lifecycle.Phase.POST_UP, Optional.empty(), listener);
    }
    return report;
  }

  /** The releases this run changed, dependents first. */
  private List<Release> changedBy(ScheduleResult result) {
    List<Release> changed = new ArrayList<>();
    for (Release r : loaded.graph().reversed().releases()) {
      Outcome o = result.result(r.uniqueName()).outcome();
      if (o == Outcome.DEPLOYED || o == Outcome.FAILED && after.containsKey(r.uniqueName())) {
        changed.add(r);
      }
    }
    return changed;
  }

  /**
   * Takes releases back to the revision last deployed before this run (uninstalling those that had
   * none, such as those it installed), as {@link RevisionPolicy#undo} decides.
   */
  private void undo(List<Release> releases, String note) {
    for (Release r : releases) {
      undo(r, MonitorRef.Action.ROLLBACK, note);
    }
  }

  private void undo(Release r, MonitorRef.Action action, String note) {
    String name = r.uniqueName();
    if (undone.containsKey(name) || action == MonitorRef.Action.NONE) {
      return;
    }
    try (Cluster.Lock lock = cluster.lock(r, UNDO_LOCK_TIMEOUT)) {
      RevisionPolicy.UndoStep step =
          RevisionPolicy.undo(
              cluster.history(r),
              action,
              Optional.ofNullable(before.get(name)),
              Optional.ofNullable(after.get(name)));
      if (step instanceof RevisionPolicy.LeaveAlone leave) {
        undone.put(name, new Undo(Outcome.LEFT_ALONE, note + "; " + leave.why(), true));
      } else if (step instanceof RevisionPolicy.RollBackTo back) {
        after.put(name, new Rollback(cluster).to(r, back.revision(), Operation.NONE));
        undone.put(name, new Undo(Outcome.ROLLED_BACK, note, false));
      } else {
        new Down(cluster).uninstall(r, Operation.NONE);
        after.remove(name);
        undone.put(
            name,
            new Undo(
                action == MonitorRef.Action.ROLLBACK ? Outcome.ROLLED_BACK : Outcome.UNINSTALLED,
                note,
                false));
      }
    } catch (Exception e) {
      undone.put(
          name,
          new Undo(
              Outcome.FAILED,
              (action == MonitorRef.Action.ROLLBACK ? "rollback" : "uninstall")
                  + " failed: "
                  + e.getMessage(),
              true));
    }
  }

  /**
   * Carries out what failed monitors decided ({@link MonitorActions}), and reports each monitor.
   */
  private List<MonitorReport> applyMonitorActions(
      ScheduleResult result, MonitorStage stage, List<MonitorStage.MonitorResultLine> results) {
    MonitorActions.Decision decision =
        MonitorActions.decide(
            loaded.graph(),
            result,
            results,
            stage.watched(),
            changedBy(result),
            request.rollbackScope());
    for (MonitorActions.Conflict c : decision.conflicts()) {
      listener.on(
          new Event.Warning(
              new Problem(
                  Location.of(loaded.dir().dir()),
                  "monitors",
                  c.release()
                      + ": failed monitors ask for "
                      + c.asked().stream().map(MonitorRef.Action::yamlName).toList()
                      + "; doing the safest, "
                      + c.chosen().yamlName())));
    }
    for (MonitorActions.Step step : decision.steps()) {
      act(step);
    }
    List<MonitorReport> out = new ArrayList<>();
    for (MonitorStage.MonitorResultLine line : results) {
      String action = "none";
      if (line.outcome() == MonitorOutcome.FAILED) {
        Set<String> done = new TreeSet<>();
        for (Release r : stage.watched().get(line.monitor())) {
          Undo u = undone.get(r.uniqueName());
          // What happened to each release; why an undo failed is said once, on the release's line.
          done.add(u == null ? "none" : u.outcome().word() + " " + r.uniqueName());
        }
        action = String.join(", ", done);
      }
      out.add(
          new MonitorReport(
              line.monitor(),
              line.outcome(),
              line.probes(),
              line.failures(),
              line.errors(),
              line.lastResult(),
              line.reason(),
              action));
    }
    return out;
  }

  /** One monitor action, told as it starts and as it ends. */
  private void act(MonitorActions.Step step) {
    String name = step.release().uniqueName();
    if (step.action() == MonitorRef.Action.NONE || undone.containsKey(name)) {
      return; // nothing to do, or --rollback-on-failure plan has undone it already
    }
    String action = step.action().yamlName();
    listener.on(new Event.MonitorActionStarted(name, action, step.why()));
    long start = System.nanoTime();
    undo(step.release(), step.action(), step.why());
    Undo u = undone.get(name);
    listener.on(
        new Event.MonitorActionFinished(
            name,
            action,
            u.outcome(),
            u.outcome() == Outcome.ROLLED_BACK
                ? Optional.ofNullable(after.get(name))
                : Optional.empty(),
            Duration.ofNanos(System.nanoTime() - start),
            u.failed() ? Optional.of(u.note()) : Optional.empty()));
  }

  /** {@code up --dry-run}: what each selected release would go through, found without changes. */
  RunReport dryRun() {
    List<ReleaseReport> lines = new ArrayList<>();
    for (Release r : loaded.graph().releases()) {
      if (cancellation.isCancelled()) {
        break;
      }
      lines.add(upgrade.preview(r));
    }
    boolean ok = lines.stream().noneMatch(l -> l.outcome() == Outcome.WOULD_REFUSE);
    return new RunReport(
        "up --dry-run", lines, ok, cancellation.isCancelled(), List.of(), List.of());
  }
}
