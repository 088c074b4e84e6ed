package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.diff.Differ;
import dev.deployer.core.diff.PlanDiff;
import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.monitor.ProbeException;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deploys, removes and rolls back the releases of a plan directory: {@code up}, {@code down} and
 * {@code rollback}. Releases run as soon as what they depend on is done (for {@code down} and
 * {@code rollback}: once what depends on them is done), each under its lock; every release ends in
 * a known state, reported with its reason.
 */
@SuppressWarnings("try") // a lock is held for its block, not used in it
public final class Deployer {
  private final Cluster cluster;
  private final Map<String, String> environment;
  private final ProbeFactory probes;

  public Deployer(Cluster cluster, Map<String, String> environment) {
    this(
        cluster,
        environment,
        (monitor, releases) -> {
          throw new ProbeException("no probes configured for " + monitor.name());
        });
  }

  /**
   * @param probes makes the probes of the plan's monitors
   */
  public Deployer(Cluster cluster, Map<String, String> environment, ProbeFactory probes) {
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
  private LoadedPlan load(Path planDir, Selection selection, boolean verify) {
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
    return new LoadedPlan(dir, plan, graph, selected);
  }

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
    LoadedPlan loaded = load(request.planDir(), request.selection(), true);
    if (!request.allowStale()) {
      new StaleCheck(cluster).refuse(loaded);
    }
    refuseUnknown(request.restart(), loaded.plan().releases(), request.planDir(), "--restart");
    UpRun run =
        new UpRun(cluster, probes, loaded, hooks(loaded.dir()), request, listener, cancellation);
    return request.dryRun() ? run.dryRun() : run.run();
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
    LoadedPlan loaded = load(planDir, selection, true);
    if (!force) {
      refuseNeeded(loaded);
    }
    if (dryRun) {
      return new ReverseRun(cluster, hooks(loaded.dir()))
          .dryRun(
              "down",
              loaded,
              cancellation,
              (r, live) ->
                  new ReverseRun.Would(
                      Outcome.WOULD_UNINSTALL, "revision " + live.revision() + " is removed"));
    }
    return new ReverseRun(cluster, hooks(loaded.dir()))
        .run(
            "down",
            loaded,
            Lifecycle.Phase.PRE_DOWN,
            Lifecycle.Phase.POST_DOWN,
            r -> {
              try {
                cluster.uninstall(r, EngineCalls.operation(cancellation, r, listener));
              } catch (HelmOperationException e) {
                // Cut short (a signal), Helm leaves the release "uninstalling": say what to do.
                boolean leftUninstalling =
                    cluster
                        .latest(r)
                        .map(l -> l.status() == dev.deployer.core.helm.ReleaseStatus.UNINSTALLING)
                        .orElse(false);
                throw leftUninstalling
                    ? new HelmOperationException(
                        e.getMessage()
                            + "; Helm left the release uninstalling: run 'deployer down' for it again"
                            + " to finish removing it",
                        e.release(),
                        e.reason())
                    : e;
              }
              return Optional.empty();
            },
            Outcome.UNINSTALLED,
            Optional.empty(),
            parallelLimit,
            lockTimeout,
            listener,
            cancellation);
  }

  /** Refuses a down that would take away what an installed release outside it depends on. */
  private void refuseNeeded(LoadedPlan loaded) {
    ReleaseGraph all = loaded.all();
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
    LoadedPlan loaded = load(planDir, selection, true);
    refuseUnknown(selection.names(), loaded.graph().releases(), planDir, "RELEASE");
    if (revision.isPresent() && loaded.graph().size() != 1) {
      throw new PlanException(
          new Problem(
              Location.of(planDir),
              "--revision",
              "needs exactly one release; the selection has " + loaded.graph().size()));
    }
    if (dryRun) {
      return new ReverseRun(cluster, hooks(loaded.dir()))
          .dryRun(
              "rollback",
              loaded,
              cancellation,
              (r, live) -> {
                try {
                  return new ReverseRun.Would(
                      Outcome.WOULD_ROLL_BACK,
                      "to revision "
                          + cluster.rollbackTarget(r, revision)
                          + " (now "
                          + live.revision()
                          + ")");
                } catch (HelmOperationException e) {
                  return new ReverseRun.Would(Outcome.FAILED, e.getMessage());
                }
              });
    }
    return new ReverseRun(cluster, hooks(loaded.dir()))
        .run(
            "rollback",
            loaded,
            Lifecycle.Phase.PRE_ROLLBACK,
            Lifecycle.Phase.POST_ROLLBACK,
            r -> {
              Operation op = EngineCalls.operation(cancellation, r, listener);
              // A release a dead run left pending-*: its stuck revision is recorded failed first.
              if (revision.isEmpty()
                  && cluster.latest(r).map(ReleaseRevision::isPending).orElse(false)) {
                return cluster.resolvePendingByRollback(r, op);
              }
              return Optional.of(cluster.rollback(r, revision, op));
            },
            Outcome.ROLLED_BACK,
            Optional.of("not installed, nothing to roll back"),
            parallelLimit,
            lockTimeout,
            listener,
            cancellation);
  }

  /** The plan directory against what is deployed now; releases not installed show as added. */
  public PlanDiff diffLive(Path planDir, Selection selection, boolean showSecrets) {
    LoadedPlan loaded = load(planDir, selection, false);
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
                              ? l.manifestWithHooks()
                              : dev.deployer.core.diff.Manifests.withoutTestHooks(
                                  l.manifestWithHooks()))));
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
  public Map<String, Optional<ReleaseRevision>> status(ReleaseGraph graph) {
    Map<String, Optional<ReleaseRevision>> out = new LinkedHashMap<>();
    for (Release r : graph.releases()) {
      out.put(r.uniqueName(), cluster.latest(r));
    }
    return out;
  }
}
