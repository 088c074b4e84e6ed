package dev.deployer.core.deploy;

import dev.deployer.core.build.PlanDirectory;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.diff.Differ;
import dev.deployer.core.diff.PlanDiff;
import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.monitor.MonitorRunner;
import dev.deployer.core.monitor.ProbeException;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Deploys, removes and rolls back the releases of a plan directory: {@code up}, {@code down} and
 * {@code rollback}. Releases run as soon as what they depend on is done (for {@code down} and
 * {@code rollback}: once what depends on them is done), each under its lock; every release ends in
 * a known state, reported with its reason.
 */
@SuppressWarnings("try") // a lock is held for its block, not used in it
public final class Deployer {
  /** How long an undo waits for a release's lock, which another run may hold. */
  private static final Duration UNDO_LOCK_TIMEOUT = Duration.ofSeconds(30);

  private final HelmEngine engine;
  private final Cluster cluster;
  private final Map<String, String> environment;
  private final ProbeFactory probes;

  public Deployer(HelmEngine engine, Cluster cluster, Map<String, String> environment) {
    this(
        engine,
        cluster,
        environment,
        (monitor, releases) -> {
          throw new ProbeException("no probes configured for " + monitor.name());
        });
  }

  /**
   * @param probes makes the probes of the plan's monitors
   */
  public Deployer(
      HelmEngine engine, Cluster cluster, Map<String, String> environment, ProbeFactory probes) {
    this.engine = engine;
    this.cluster = cluster;
    this.environment = Map.copyOf(environment);
    this.probes = probes;
  }

  /**
   * A plan directory's plan and its release graph, selected.
   *
   * @param verify refuse the directory when it is not as its build left it; for every command that
   *     runs its hooks or changes the cluster
   */
  private Loaded load(Path planDir, Selection selection, boolean verify) {
    PlanDirectory dir = PlanDirectory.open(planDir);
    if (verify) {
      dir.verify();
    }
    Plan plan = dir.plan();
    Problems problems = new Problems();
    ReleaseGraph graph = ReleaseGraph.of(plan, problems);
    problems.throwIfErrors();
    ReleaseGraph selected = graph.select(selection);
    if (verify) {
      // A missing or broken kubeconfig is invalid input, found before any hook runs: each
      // release's context must resolve.
      selected.releases().forEach(cluster::kubeconfig);
    }
    return new Loaded(dir, plan, selected);
  }

  private record Loaded(PlanDirectory dir, Plan plan, ReleaseGraph graph) {}

  /** Refuses release names, given with {@code field}, that name none of {@code releases}. */
  private static void refuseUnknown(
      List<String> names, List<Release> releases, Path planDir, String field) {
    for (String name : names) {
      if (releases.stream().noneMatch(r -> r.isNamed(name))) {
        throw new PlanException(
            new Problem(Location.of(planDir), field, "the plan has no release " + name));
      }
    }
  }

  private HookRunner hooks(PlanDirectory dir) {
    // Hooks run where the plan file was, when it is still there; else in the plan directory.
    Path planFolder =
        dir.planFile().map(Path::getParent).filter(Files::isDirectory).orElse(dir.dir());
    return new HookRunner(planFolder, environment);
  }

  /**
   * Deploys the plan directory.
   *
   * @throws StalePlanException when releases moved in the cluster since the build
   * @throws dev.deployer.core.hooks.HookFailedException when a plan-level hook failed
   */
  public RunReport up(UpRequest request, EventListener listener, Cancellation cancellation) {
    Loaded loaded = load(request.planDir(), request.selection(), true);
    if (!request.allowStale()) {
      refuseStale(loaded);
    }
    refuseUnknown(request.restart(), loaded.plan().releases(), request.planDir(), "--restart");
    if (request.dryRun()) {
      return dryRunUp(loaded, request, cancellation);
    }
    HookRunner hooks = hooks(loaded.dir());
    hooks.run(loaded.plan().lifecycle(), Lifecycle.Phase.PRE_UP, Optional.empty(), listener);
    Map<String, Integer> before = new ConcurrentHashMap<>();
    Map<String, Integer> after = new ConcurrentHashMap<>();
    Map<String, Undo> undone = new ConcurrentHashMap<>();
    Map<String, String> drift = new ConcurrentHashMap<>();
    ScheduleResult result;
    List<MonitorReport> monitors;
    try (MonitorRunner runner = new MonitorRunner(cancellation)) {
      MonitorStage stage =
          new MonitorStage(loaded.plan(), loaded.graph(), probes, runner, listener);
      result =
          ReleaseScheduler.create(request.parallelLimit())
              .run(
                  loaded.graph(),
                  r ->
                      deploy(
                          r,
                          loaded.dir(),
                          hooks,
                          request,
                          before,
                          after,
                          drift,
                          listener,
                          cancellation),
                  stage.watching(),
                  cancellation);
      List<MonitorStage.MonitorResultLine> results = stage.await();
      if (!result.succeeded() && request.rollbackPlanOnFailure()) {
        undo(changedBy(loaded, result, after), before, after, undone, "rolled back with the plan");
      }
      monitors =
          applyMonitorActions(
              loaded,
              result,
              stage,
              results,
              request.rollbackScope(),
              before,
              after,
              undone,
              listener);
    }
    // A signal in the monitor phase comes after the schedule ended: the run is interrupted too.
    RunReport report =
        report(
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

  /** How a release of this run was undone after it deployed, or why undoing it failed. */
  private record Undo(String outcome, String note, boolean failed) {}

  /** The releases this run changed, dependents first. */
  private static List<Release> changedBy(
      Loaded loaded, ScheduleResult result, Map<String, Integer> after) {
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
   * Takes releases back to the revision they had before this run (uninstalling those it installed),
   * or uninstalls them.
   */
  private void undo(
      List<Release> releases,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, Undo> undone,
      String note) {
    for (Release r : releases) {
      undo(r, MonitorRef.Action.ROLLBACK, before, after, undone, note);
    }
  }

  private void undo(
      Release r,
      MonitorRef.Action action,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, Undo> undone,
      String note) {
    String name = r.uniqueName();
    if (undone.containsKey(name) || action == MonitorRef.Action.NONE) {
      return;
    }
    try (Cluster.Lock lock = cluster.lock(r, UNDO_LOCK_TIMEOUT)) {
      // Only what this run wrote is undone: a newer revision is another run's or a person's.
      Integer ours = after.get(name);
      Optional<Cluster.LiveRevision> live = cluster.latest(r);
      if (ours != null && live.isPresent() && live.get().revision() != ours) {
        undone.put(
            name,
            new Undo(
                "left alone",
                note
                    + "; not undone: the live revision "
                    + live.get().revision()
                    + " is not the one this run wrote ("
                    + ours
                    + ")",
                true));
        return;
      }
      if (action == MonitorRef.Action.ROLLBACK && ours == null && before.containsKey(name)) {
        // The release was unchanged: what is live was deployed before this run.
        undone.put(
            name,
            new Undo(
                "left alone",
                note
                    + "; not rolled back: this run did not change it (revision "
                    + before.get(name)
                    + " was deployed before)",
                true));
        return;
      }
      if (action == MonitorRef.Action.ROLLBACK && before.containsKey(name)) {
        after.put(name, cluster.rollback(r, Optional.of(before.get(name)), Operation.NONE));
        undone.put(name, new Undo("rolled back", note, false));
      } else {
        cluster.uninstall(r, Operation.NONE);
        after.remove(name);
        undone.put(
            name,
            new Undo(
                action == MonitorRef.Action.ROLLBACK ? "rolled back" : "uninstalled", note, false));
      }
    } catch (Exception e) {
      undone.put(
          name,
          new Undo(
              "failed",
              (action == MonitorRef.Action.ROLLBACK ? "rollback" : "uninstall")
                  + " failed: "
                  + e.getMessage(),
              true));
    }
  }

  /**
   * Each failed monitor's action on the releases that reference it: conflicting actions on one
   * release resolve to the safest (rollback, then uninstall, then none) with a warning; the
   * rollback scope widens a rollback to dependents or to the whole run.
   */
  private List<MonitorReport> applyMonitorActions(
      Loaded loaded,
      ScheduleResult result,
      MonitorStage stage,
      List<MonitorStage.MonitorResultLine> results,
      RollbackScope scope,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, Undo> undone,
      EventListener listener) {
    Map<String, MonitorRef.Action> actions = new LinkedHashMap<>();
    Map<String, String> why = new LinkedHashMap<>();
    Map<String, Set<MonitorRef.Action>> asked = new LinkedHashMap<>();
    for (MonitorStage.MonitorResultLine line : results) {
      if (!line.outcome().equals("failed")) {
        continue;
      }
      for (Release r : stage.watched().get(line.monitor())) {
        MonitorRef.Action action =
            r.monitors().stream()
                .filter(m -> m.name().equals(line.monitor()))
                .findFirst()
                .orElseThrow()
                .action();
        asked.computeIfAbsent(r.uniqueName(), k -> new TreeSet<>()).add(action);
        actions.merge(r.uniqueName(), action, Deployer::safest);
        why.merge(
            r.uniqueName(),
            "monitor " + line.monitor() + " failed",
            (a, b) -> a + ", " + b.substring("monitor ".length()));
      }
    }
    asked.forEach(
        (release, set) -> {
          if (set.size() > 1) {
            listener.on(
                new Event.Warning(
                    new Problem(
                        Location.of(loaded.dir().dir()),
                        "monitors",
                        release
                            + ": failed monitors ask for "
                            + set.stream().map(MonitorRef.Action::yamlName).toList()
                            + "; doing the safest, "
                            + actions.get(release).yamlName())));
          }
        });
    boolean anyRollback = actions.values().stream().anyMatch(a -> a == MonitorRef.Action.ROLLBACK);
    if (anyRollback && scope == RollbackScope.DEPENDENTS) {
      Deque<Release> todo = new ArrayDeque<>();
      actions.forEach(
          (name, a) -> {
            if (a == MonitorRef.Action.ROLLBACK) todo.add(loaded.graph().release(name));
          });
      while (!todo.isEmpty()) {
        Release r = todo.poll();
        for (Release d : loaded.graph().dependentsOf(r)) {
          if (result.result(d.uniqueName()).outcome() == Outcome.DEPLOYED
              && !actions.containsKey(d.uniqueName())) {
            actions.put(d.uniqueName(), MonitorRef.Action.ROLLBACK);
            why.put(d.uniqueName(), "depends on " + r.uniqueName() + ", rolled back");
            todo.add(d);
          }
        }
      }
    } else if (anyRollback && scope == RollbackScope.PLAN) {
      for (Release r : changedBy(loaded, result, after)) {
        if (!actions.containsKey(r.uniqueName())) {
          actions.put(r.uniqueName(), MonitorRef.Action.ROLLBACK);
          why.put(r.uniqueName(), "rolled back with the plan");
        }
      }
    }
    for (Release r : loaded.graph().reversed().releases()) {
      MonitorRef.Action action = actions.get(r.uniqueName());
      if (action != null) {
        undo(r, action, before, after, undone, why.get(r.uniqueName()));
      }
    }
    List<MonitorReport> out = new ArrayList<>();
    for (MonitorStage.MonitorResultLine line : results) {
      String taken = "none";
      if (line.outcome().equals("failed")) {
        Set<String> done = new TreeSet<>();
        for (Release r : stage.watched().get(line.monitor())) {
          Undo u = undone.get(r.uniqueName());
          done.add(
              u == null ? "none" : (u.failed() ? u.note() : u.outcome() + " " + r.uniqueName()));
        }
        taken = String.join(", ", done);
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
              taken));
    }
    return out;
  }

  private static MonitorRef.Action safest(MonitorRef.Action a, MonitorRef.Action b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(MonitorRef.Action a) {
    return switch (a) {
      case ROLLBACK -> 2;
      case UNINSTALL -> 1;
      case NONE -> 0;
    };
  }

  /**
   * Refuses a plan built against revisions that someone else has moved since. A release whose
   * newest revision is what this plan deploys (its own earlier run, finished or failed) has not
   * moved in that sense; neither has one left {@code pending-*}, which {@code
   * pending_release_strategy} handles.
   */
  private void refuseStale(Loaded loaded) {
    List<String> moved = new ArrayList<>();
    for (Release r : loaded.graph().releases()) {
      Optional<Integer> planned = loaded.dir().liveRevision(r.uniqueName());
      if (planned.isEmpty()) {
        continue;
      }
      List<ReleaseRevision> history = cluster.history(r);
      int now = history.isEmpty() ? 0 : history.get(history.size() - 1).revision();
      if (now == planned.get()
          || !history.isEmpty() && history.get(history.size() - 1).isPending()) {
        continue;
      }
      if (deploysThisPlan(r)) {
        continue;
      }
      moved.add(
          r.uniqueName()
              + ": built against "
              + (planned.get() == 0 ? "no release" : "revision " + planned.get())
              + ", now "
              + (now == 0 ? "not installed" : "revision " + now));
    }
    if (!moved.isEmpty()) {
      throw new StalePlanException(moved);
    }
  }

  /** Whether the newest revision has the chart, values and render this plan would deploy. */
  private boolean deploysThisPlan(Release r) {
    try {
      UpgradePlan plan = engine.planUpgrade(upgradeRequest(r), Operation.NONE);
      return plan.latest().isPresent() && ReviewedRender.sameContent(plan, plan.latest().get());
    } catch (HelmOperationException e) {
      return false;
    }
  }

  /**
   * {@link #deployLocked} with a failure to reach the API server reported as such, whichever call
   * met it.
   */
  private TaskResult deploy(
      Release r,
      PlanDirectory dir,
      HookRunner hooks,
      UpRequest request,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, String> drift,
      EventListener listener,
      Cancellation cancellation)
      throws Exception {
    try {
      TaskResult result =
          deployLocked(r, dir, hooks, request, before, after, drift, listener, cancellation);
      if (result.outcome() != Outcome.FAILED) {
        return result;
      }
      // A failure while the API server is gone says so first: the rest is its consequence.
      Optional<String> unreachable =
          dev.deployer.core.kube.Unreachable.cause(result.reason().orElse(""))
              .or(() -> cluster.unreachable(r));
      return unreachable.isPresent()
          ? TaskResult.failed(
              "API server unreachable: " + unreachable.get() + "; " + result.reason().orElse(""))
          : result;
    } catch (RuntimeException e) {
      Optional<String> unreachable =
          dev.deployer.core.kube.Unreachable.cause(e).or(() -> cluster.unreachable(r));
      if (unreachable.isPresent()) {
        return TaskResult.failed("API server unreachable: " + unreachable.get());
      }
      throw e;
    }
  }

  private TaskResult deployLocked(
      Release r,
      PlanDirectory dir,
      HookRunner hooks,
      UpRequest request,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, String> drift,
      EventListener listener,
      Cancellation cancellation)
      throws Exception {
    Duration lockTimeout = request.lockTimeout();
    String name = r.uniqueName();
    // The lock lives in the release's namespace, so the namespace comes first.
    if (r.deployment().createNamespace()) {
      cluster.ensureNamespace(r);
    }
    // The release's own cancellation: the run's, or a lost lock, which ends what runs on it.
    Cancellation release = new Cancellation();
    AtomicReference<String> lost = new AtomicReference<>();
    try (Cluster.Lock lock =
            cluster.lock(
                r, lockTimeout, what -> listener.on(new Event.ReleaseWaiting(name, what)));
        Cancellation.Registration withRun =
            cancellation.onCancel(
                () -> release.cancel(cancellation.reason().orElse("cancelled")))) {
      lock.onLost(
          why -> {
            lost.set(why);
            release.cancel("lost the lock of " + name + ": " + why);
          });
      hooks.run(r.lifecycle(), Lifecycle.Phase.PRE_UP, Optional.of(r), listener);
      Optional<Cluster.LiveRevision> live = cluster.latest(r);
      live.ifPresent(l -> before.put(name, l.revision()));
      AtomicReference<String> waitingFor = new AtomicReference<>();
      Operation operation =
          operation(
              release,
              r,
              event -> {
                if (event instanceof Event.ReleaseWaiting w) {
                  waitingFor.set(w.waitingFor());
                }
                listener.on(event);
              });
      // A release that was pending is upgraded even when its rollback left it as planned: this
      // run changed it, and the report says so with the revision it wrote.
      boolean wasPending = live.isPresent() && live.get().pending();
      if (wasPending) {
        Optional<TaskResult> stuck =
            resolvePending(r, live.get(), operation, dir, lockTimeout, listener, cancellation);
        if (stuck.isPresent()) {
          return stuck.get();
        }
      }
      UpgradeRequest upgrade = upgradeRequest(r);
      Planned planned = plan(r, dir, upgrade, operation);
      planned.drift().ifPresent(d -> drift.put(name, d));
      if (planned.refusal().isPresent() && request.requireReviewed()) {
        return TaskResult.failed(planned.refusal().get());
      }
      if (planned.unchanged() && !request.forceUpgrade() && !wasPending) {
        // Unchanged: the live revision is the one found before, which stays.
        Optional<String> restarted = restart(r, request, live.get().manifest());
        hooks.run(r.lifecycle(), Lifecycle.Phase.POST_UP, Optional.of(r), listener);
        return new TaskResult(Outcome.UNCHANGED, restarted);
      }
      ReleaseRevision deployed;
      try {
        deployed = engine.upgrade(upgrade, operation);
      } catch (HelmOperationException e) {
        try {
          e.release()
              .map(ReleaseRevision::revision)
              .or(() -> cluster.latest(r).map(Cluster.LiveRevision::revision))
              .ifPresent(revision -> after.put(name, revision));
        } catch (RuntimeException unreachable) {
          // The cluster cannot say which revision Helm wrote; the failure says why.
        }
        if (lost.get() != null) {
          return TaskResult.failed(
              "lost the lock of the release (" + lost.get() + "); stopped: " + e.getMessage());
        }
        String reason = e.getMessage();
        if (reason.contains("context deadline exceeded") && waitingFor.get() != null) {
          reason +=
              "; its timeout ("
                  + dev.deployer.core.plan.GoDuration.format(r.deployment().timeout())
                  + ") ran out while Helm waited for "
                  + waitingFor.get();
        }
        return failedWithDiagnosis(r, dir.manifest(name), reason);
      }
      if (lost.get() != null) {
        return TaskResult.failed(
            "lost the lock of the release (" + lost.get() + ") while Helm upgraded it");
      }
      after.put(name, deployed.revision());
      Optional<String> restarted = restart(r, request, deployed.manifestWithHooks());
      hooks.run(r.lifecycle(), Lifecycle.Phase.POST_UP, Optional.of(r), listener);
      return new TaskResult(Outcome.DEPLOYED, restarted);
    }
  }

  /**
   * What an upgrade of a release would do, found by Helm's server dry run: how its render differs
   * from the reviewed one, and whether it would change anything.
   *
   * @param drift the differences from the reviewed render, for the report
   * @param refusal why {@code --require-reviewed} refuses the release
   * @param unchanged the release is deployed exactly as the upgrade would leave it
   */
  private record Planned(Optional<String> drift, Optional<String> refusal, boolean unchanged) {}

  private Planned plan(Release r, PlanDirectory dir, UpgradeRequest upgrade, Operation operation) {
    String name = r.uniqueName();
    UpgradePlan plan;
    try {
      plan = engine.planUpgrade(upgrade, operation);
    } catch (HelmOperationException e) {
      // The upgrade itself will say what is wrong; only a refusal needs the comparison.
      String why = "the deploy-time render could not be compared: " + e.getMessage();
      return new Planned(
          Optional.of(why), Optional.of("refused by --require-reviewed: " + why), false);
    }
    ReviewedRender.Drift d =
        ReviewedRender.drift(
            name, r.namespace(), dir.manifest(name), plan.planned().manifestWithHooks());
    String note = plan.exact() ? "" : " (" + plan.note() + ")";
    Optional<String> drift =
        d.none()
            ? plan.exact() ? Optional.empty() : Optional.of("compared" + note + "; no difference")
            : Optional.of(
                "the deploy-time render differs from the reviewed one in "
                    + d.summary()
                    + note
                    + "\n"
                    + d.diff());
    Optional<String> refusal =
        d.none()
            ? Optional.empty()
            : Optional.of(
                "refused by --require-reviewed: the deploy-time render differs from the reviewed one"
                    + " in "
                    + d.summary()
                    + "; nothing was applied");
    return new Planned(drift, refusal, ReviewedRender.unchanged(plan, upgrade.options().digest()));
  }

  /**
   * Restarts the release's workloads when {@code rollout_restart} or {@code --restart} asks for it.
   *
   * @return a note for the report naming what was restarted
   */
  private Optional<String> restart(Release r, UpRequest request, String manifest) {
    boolean asked =
        r.deployment().rolloutRestart() || request.restart().stream().anyMatch(r::isNamed);
    if (!asked) {
      return Optional.empty();
    }
    List<String> restarted = cluster.restartWorkloads(r, manifest);
    return Optional.of(
        restarted.isEmpty()
            ? "rollout restart: no Deployment, StatefulSet or DaemonSet"
            : "restarted " + String.join(", ", restarted));
  }

  /** A failure whose reason ends with what is unhealthy in the cluster, when anything is. */
  private TaskResult failedWithDiagnosis(Release r, String manifest, String reason) {
    if (dev.deployer.core.kube.Unreachable.cause(reason).isPresent()) {
      return TaskResult.failed(reason);
    }
    String diagnosis = cluster.diagnose(r, manifest);
    return TaskResult.failed(reason + (diagnosis.isEmpty() ? "" : "; " + diagnosis));
  }

  /**
   * An engine operation for a release of this run: cancelled with the run, its wait progress
   * reported as events.
   */
  private static Operation operation(Cancellation cancellation, Release r, EventListener listener) {
    return new Operation(
        cancellation,
        e ->
            e.waitingFor()
                .ifPresent(what -> listener.on(new Event.ReleaseWaiting(r.uniqueName(), what))));
  }

  /** Empty when the release may now be upgraded; a failure when it must stay as it is. */
  private Optional<TaskResult> resolvePending(
      Release r,
      Cluster.LiveRevision live,
      Operation operation,
      PlanDirectory dir,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation)
      throws InterruptedException {
    String state = live.status() + " (revision " + live.revision() + ")";
    switch (r.deployment().pendingReleaseStrategy()) {
      case ROLLBACK -> {
        cluster.resolvePendingByRollback(r, operation);
        return Optional.empty();
      }
      case UNINSTALL -> {
        cluster.uninstall(r, operation);
        return Optional.empty();
      }
      case WAIT -> {
        return waitWhilePending(r, live, lockTimeout, listener, cancellation);
      }
      default -> {
        return Optional.of(
            TaskResult.failed(
                "the release is "
                    + state
                    + ", left by a run that did not finish; recover it with 'deployer rollback "
                    + r.uniqueName()
                    + " --plandir "
                    + dir.dir()
                    + "' (back to its last deployed revision), then up again; or set"
                    + " pending_release_strategy: rollback, uninstall or wait"));
      }
    }
  }

  /**
   * {@code pending_release_strategy: wait}: another client is working on the release; waits until
   * its newest revision is no longer pending, at most {@code lockTimeout}.
   */
  private Optional<TaskResult> waitWhilePending(
      Release r,
      Cluster.LiveRevision live,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation)
      throws InterruptedException {
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    Cluster.LiveRevision now = live;
    listener.on(
        new Event.ReleaseWaiting(
            r.uniqueName(),
            "release "
                + now.status()
                + " (revision "
                + now.revision()
                + ", another client), up to "
                + dev.deployer.core.plan.GoDuration.format(lockTimeout)));
    while (now.pending()) {
      if (cancellation.isCancelled()) {
        return Optional.of(TaskResult.failed("cancelled while waiting for the release to settle"));
      }
      if (System.nanoTime() >= deadline) {
        return Optional.of(
            TaskResult.failed(
                "the release is still "
                    + now.status()
                    + " (revision "
                    + now.revision()
                    + ") after "
                    + dev.deployer.core.plan.GoDuration.format(lockTimeout)
                    + " (--lock-timeout); another client is working on it"));
      }
      Thread.sleep(500);
      Optional<Cluster.LiveRevision> next = cluster.latest(r);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      now = next.get();
    }
    return Optional.empty();
  }

  /** The upgrade of a release; its revision records a digest of its deploy options. */
  private UpgradeRequest upgradeRequest(Release r) {
    return new UpgradeRequest(
        new ReleaseRef(cluster.kubeconfig(r), r.namespace(), r.name()),
        Path.of(r.chart().name()),
        r.values().stream().map(ValuesFile::src).map(Path::of).toList(),
        UpgradeRequest.UpgradeOptions.of(r));
  }

  private static RunReport report(
      String command,
      ScheduleResult result,
      boolean cancelled,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, Undo> undone,
      List<MonitorReport> monitors,
      Map<String, String> drift) {
    List<ReleaseReport> lines = new ArrayList<>();
    boolean ok =
        result.succeeded()
            && !cancelled
            && monitors.stream().noneMatch(m -> m.failed() || m.error());
    for (ReleaseResult r : result.releases()) {
      String outcome = r.outcome().word();
      Optional<String> reason = r.reason();
      Undo u = undone.get(r.release());
      if (u != null) {
        outcome = u.outcome();
        reason = Optional.of(reason.map(x -> x + "; ").orElse("") + u.note());
        ok &= !u.failed();
      }
      lines.add(
          new ReleaseReport(
              r.release(),
              outcome,
              Optional.ofNullable(before.get(r.release())),
              // An unchanged release stays at the revision it had.
              Optional.ofNullable(after.get(r.release()))
                  .or(
                      () ->
                          r.outcome() == Outcome.UNCHANGED && u == null
                              ? Optional.ofNullable(before.get(r.release()))
                              : Optional.empty()),
              r.duration(),
              reason,
              Optional.ofNullable(drift.get(r.release()))));
    }
    return new RunReport(command, lines, ok, cancelled, lockedOut(result), monitors);
  }

  private static List<String> lockedOut(ScheduleResult result) {
    List<String> out = new ArrayList<>();
    for (ReleaseResult r : result.releases()) {
      if (r.error().filter(LockHeldException.class::isInstance).isPresent()) {
        out.add(r.release() + ": " + r.error().get().getMessage());
      }
    }
    return out;
  }

  /**
   * Uninstalls the selected releases, each after the releases that depend on it.
   *
   * @param force uninstall even releases that installed releases outside the selection depend on
   * @throws DownRefusedException when, without {@code force}, installed releases outside the
   *     selection depend on selected ones
   */
  public RunReport down(
      Path planDir,
      Selection selection,
      boolean force,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    return down(
        planDir, selection, force, false, parallelLimit, lockTimeout, listener, cancellation);
  }

  /**
   * As {@link #down(Path, Selection, boolean, int, Duration, EventListener, Cancellation)}; with
   * {@code dryRun}, only reports what would be uninstalled (the refusal included): nothing changes,
   * no hook runs.
   */
  public RunReport down(
      Path planDir,
      Selection selection,
      boolean force,
      boolean dryRun,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    Loaded loaded = load(planDir, selection, true);
    if (!force) {
      refuseNeeded(loaded);
    }
    if (dryRun) {
      return dryRunReverse(
          "down",
          loaded,
          cancellation,
          (r, live) -> new Would("would uninstall", "revision " + live.revision() + " is removed"));
    }
    return reverseRun(
        "down",
        loaded,
        Lifecycle.Phase.PRE_DOWN,
        Lifecycle.Phase.POST_DOWN,
        r -> {
          try {
            cluster.uninstall(r, operation(cancellation, r, listener));
          } catch (HelmOperationException e) {
            // Cut short (a signal), Helm leaves the release "uninstalling": say what to do.
            boolean leftUninstalling =
                cluster.latest(r).map(l -> l.status().equals("uninstalling")).orElse(false);
            throw leftUninstalling
                ? new HelmOperationException(
                    e.getMessage()
                        + "; Helm left the release uninstalling: run 'deployer down' for it again"
                        + " to finish removing it")
                : e;
          }
          return Optional.empty();
        },
        "uninstalled",
        Optional.empty(),
        parallelLimit,
        lockTimeout,
        listener,
        cancellation);
  }

  /** Refuses a down that would take away what an installed release outside it depends on. */
  private void refuseNeeded(Loaded loaded) {
    ReleaseGraph all = load(loaded.dir().dir(), Selection.ALL, false).graph();
    Set<String> selected = new TreeSet<>();
    loaded.graph().releases().forEach(r -> selected.add(r.uniqueName()));
    List<String> needed = new ArrayList<>();
    for (Release r : loaded.graph().releases()) {
      for (Release dependent : all.dependentsOf(all.release(r.uniqueName()))) {
        if (!selected.contains(dependent.uniqueName()) && cluster.latest(dependent).isPresent()) {
          needed.add(r.uniqueName() + " (needed by " + dependent.uniqueName() + ")");
        }
      }
    }
    if (!needed.isEmpty()) {
      throw new DownRefusedException(needed);
    }
  }

  /**
   * Rolls back the selected releases, each after the releases that depend on it: to the revision
   * before their latest, or to {@code revision}.
   */
  public RunReport rollback(
      Path planDir,
      Selection selection,
      Optional<Integer> revision,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    return rollback(
        planDir, selection, revision, false, parallelLimit, lockTimeout, listener, cancellation);
  }

  /**
   * As {@link #rollback(Path, Selection, Optional, int, Duration, EventListener, Cancellation)};
   * with {@code dryRun}, only reports the revision each release would go back to.
   */
  public RunReport rollback(
      Path planDir,
      Selection selection,
      Optional<Integer> revision,
      boolean dryRun,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    Loaded loaded = load(planDir, selection, true);
    refuseUnknown(selection.names(), loaded.graph().releases(), planDir, "RELEASE");
    if (revision.isPresent() && loaded.graph().size() != 1) {
      throw new PlanException(
          new Problem(
              Location.of(planDir),
              "--revision",
              "needs exactly one release; the selection has " + loaded.graph().size()));
    }
    if (dryRun) {
      return dryRunReverse(
          "rollback",
          loaded,
          cancellation,
          (r, live) -> {
            try {
              return new Would(
                  "would roll back",
                  "to revision "
                      + cluster.rollbackTarget(r, revision)
                      + " (now "
                      + live.revision()
                      + ")");
            } catch (HelmOperationException e) {
              return new Would("failed", e.getMessage());
            }
          });
    }
    return reverseRun(
        "rollback",
        loaded,
        Lifecycle.Phase.PRE_ROLLBACK,
        Lifecycle.Phase.POST_ROLLBACK,
        r -> {
          Operation op = operation(cancellation, r, listener);
          // A release a dead run left pending-*: its stuck revision is recorded failed first.
          if (revision.isEmpty()
              && cluster.latest(r).map(Cluster.LiveRevision::pending).orElse(false)) {
            return cluster.resolvePendingByRollback(r, op);
          }
          return Optional.of(cluster.rollback(r, revision, op));
        },
        "rolled back",
        Optional.of("not installed, nothing to roll back"),
        parallelLimit,
        lockTimeout,
        listener,
        cancellation);
  }

  /** What a dry run says of one release. */
  private record Would(String outcome, String reason) {}

  /** What a dry run of {@code down} or {@code rollback} says of one installed release. */
  @FunctionalInterface
  private interface ReverseDryRun {
    Would of(Release release, Cluster.LiveRevision live);
  }

  /** {@code up --dry-run}: what each selected release would go through, found without changes. */
  private RunReport dryRunUp(Loaded loaded, UpRequest request, Cancellation cancellation) {
    List<ReleaseReport> lines = new ArrayList<>();
    for (Release r : loaded.graph().releases()) {
      if (cancellation.isCancelled()) {
        break;
      }
      java.time.Instant start = java.time.Instant.now();
      Optional<Cluster.LiveRevision> live = cluster.latest(r);
      Optional<Integer> now = live.map(Cluster.LiveRevision::revision);
      String outcome;
      Optional<String> reason;
      Optional<String> drift = Optional.empty();
      if (live.isPresent() && live.get().pending()) {
        outcome = "would resolve";
        reason =
            Optional.of(
                "the release is "
                    + live.get().status()
                    + " (revision "
                    + live.get().revision()
                    + "); pending_release_strategy "
                    + r.deployment()
                        .pendingReleaseStrategy()
                        .name()
                        .toLowerCase(java.util.Locale.ROOT)
                    + " decides");
      } else {
        UpgradeRequest upgrade = upgradeRequest(r);
        Planned planned = plan(r, loaded.dir(), upgrade, new Operation(cancellation, e -> {}));
        drift = planned.drift();
        boolean installs = live.isEmpty() || live.get().status().equals("uninstalled");
        if (planned.refusal().isPresent() && request.requireReviewed()) {
          outcome = "would refuse";
          reason = planned.refusal();
        } else if (planned.unchanged() && !request.forceUpgrade()) {
          outcome = "unchanged";
          reason = Optional.empty();
        } else {
          outcome = installs ? "would install" : "would upgrade";
          reason = Optional.empty();
        }
      }
      lines.add(
          new ReleaseReport(
              r.uniqueName(),
              outcome,
              now,
              Optional.empty(),
              Duration.between(start, java.time.Instant.now()),
              reason,
              drift));
    }
    boolean ok = lines.stream().noneMatch(l -> l.outcome().equals("would refuse"));
    return new RunReport(
        "up --dry-run", lines, ok, cancellation.isCancelled(), List.of(), List.of());
  }

  /** A dry run of {@code down} or {@code rollback}: dependents first, nothing changed. */
  private RunReport dryRunReverse(
      String command, Loaded loaded, Cancellation cancellation, ReverseDryRun would) {
    List<ReleaseReport> lines = new ArrayList<>();
    for (Release r : loaded.graph().reversed().releases()) {
      if (cancellation.isCancelled()) {
        break;
      }
      Optional<Cluster.LiveRevision> live = cluster.latest(r);
      Would w =
          live.isEmpty() ? new Would("not installed", "nothing to do") : would.of(r, live.get());
      lines.add(
          new ReleaseReport(
              r.uniqueName(),
              w.outcome(),
              live.map(Cluster.LiveRevision::revision),
              Optional.empty(),
              Duration.ZERO,
              Optional.of(w.reason())));
    }
    boolean ok = lines.stream().noneMatch(l -> l.outcome().equals("failed"));
    return new RunReport(
        command + " --dry-run", lines, ok, cancellation.isCancelled(), List.of(), List.of());
  }

  /** What {@code down} or {@code rollback} does to one installed release: its new revision. */
  @FunctionalInterface
  private interface ReleaseChange {
    Optional<Integer> apply(Release release);
  }

  /**
   * Runs {@code change} on every selected release, each after the releases that depend on it, under
   * its lock and between its hooks.
   *
   * @param notInstalled the failure for a release that is not installed; empty when that is fine
   */
  private RunReport reverseRun(
      String command,
      Loaded loaded,
      Lifecycle.Phase pre,
      Lifecycle.Phase post,
      ReleaseChange change,
      String doneWord,
      Optional<String> notInstalled,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    HookRunner hooks = hooks(loaded.dir());
    hooks.run(loaded.plan().lifecycle(), pre, Optional.empty(), listener);
    Map<String, Integer> before = new ConcurrentHashMap<>();
    Map<String, Integer> after = new ConcurrentHashMap<>();
    Map<String, String> outcomes = new ConcurrentHashMap<>();
    ScheduleResult result =
        ReleaseScheduler.create(parallelLimit)
            .run(
                loaded.graph().reversed(),
                r -> {
                  try (Cluster.Lock lock = cluster.lock(r, lockTimeout)) {
                    Optional<Cluster.LiveRevision> live = cluster.latest(r);
                    if (live.isEmpty()) {
                      return notInstalled.map(TaskResult::failed).orElseGet(TaskResult::unchanged);
                    }
                    before.put(r.uniqueName(), live.get().revision());
                    hooks.run(r.lifecycle(), pre, Optional.of(r), listener);
                    change.apply(r).ifPresent(revision -> after.put(r.uniqueName(), revision));
                    outcomes.put(r.uniqueName(), doneWord);
                    hooks.run(r.lifecycle(), post, Optional.of(r), listener);
                    return TaskResult.deployed();
                  }
                },
                listener,
                cancellation);
    RunReport report =
        relabel(
            report(
                command,
                result,
                result.cancelled() || cancellation.isCancelled(),
                before,
                after,
                Map.of(),
                List.of(),
                Map.of()),
            outcomes,
            notInstalled.isEmpty() ? "not installed" : "unchanged");
    if (report.succeeded()) {
      hooks.run(loaded.plan().lifecycle(), post, Optional.empty(), listener);
    }
    return report;
  }

  private static RunReport relabel(
      RunReport report, Map<String, String> outcomes, String unchangedWord) {
    List<ReleaseReport> lines = new ArrayList<>();
    for (ReleaseReport r : report.releases()) {
      String outcome = r.outcome();
      if (outcome.equals("deployed") && outcomes.containsKey(r.release())) {
        outcome = outcomes.get(r.release());
      } else if (outcome.equals("unchanged")) {
        outcome = unchangedWord;
      }
      lines.add(
          new ReleaseReport(
              r.release(),
              outcome,
              r.revisionBefore(),
              r.revisionAfter(),
              r.duration(),
              r.reason(),
              r.renderDrift()));
    }
    return new RunReport(
        report.command(),
        lines,
        report.succeeded(),
        report.cancelled(),
        report.lockedOut(),
        report.monitors());
  }

  /** The plan directory against what is deployed now; releases not installed show as added. */
  public PlanDiff diffLive(Path planDir, Selection selection, boolean showSecrets) {
    Loaded loaded = load(planDir, selection, false);
    Map<String, ReleaseSnapshot> now = new LinkedHashMap<>();
    Map<String, ReleaseSnapshot> planned = new LinkedHashMap<>();
    Map<String, ReleaseSnapshot> all = loaded.dir().snapshots();
    for (Release r : loaded.graph().releases()) {
      planned.put(r.uniqueName(), all.get(r.uniqueName()));
      cluster
          .latest(r)
          .ifPresent(
              l ->
                  now.put(
                      r.uniqueName(),
                      new ReleaseSnapshot(
                          r.uniqueName(),
                          r.namespace(),
                          Optional.of(l.chartVersion()),
                          loaded.dir().includesTests()
                              ? l.manifest()
                              : dev.deployer.core.diff.Manifests.withoutTestHooks(l.manifest()))));
    }
    return new Differ(showSecrets).diff(now, planned);
  }

  /**
   * The revisions Helm recorded for the plan's release named {@code name} ({@code name} or {@code
   * name@namespace}), oldest first.
   *
   * @throws PlanException when the plan has no such release, or several
   */
  public List<ReleaseRevision> history(Plan plan, ReleaseGraph graph, String name) {
    List<Release> matches = graph.releases().stream().filter(r -> r.isNamed(name)).toList();
    if (matches.size() != 1) {
      throw new PlanException(
          new Problem(
              Location.of(plan.file()),
              "RELEASE",
              matches.isEmpty()
                  ? "the plan has no release " + name
                  : name
                      + " names "
                      + matches.size()
                      + " releases ("
                      + String.join(", ", matches.stream().map(Release::uniqueName).toList())
                      + "); give name@namespace"));
    }
    return cluster.history(matches.get(0));
  }

  /** Each selected release as the cluster has it now; empty where it is not installed. */
  public Map<String, Optional<Cluster.LiveRevision>> status(ReleaseGraph graph) {
    Map<String, Optional<Cluster.LiveRevision>> out = new LinkedHashMap<>();
    for (Release r : graph.releases()) {
      out.put(r.uniqueName(), cluster.latest(r));
    }
    return out;
  }
}
