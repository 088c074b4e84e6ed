package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plandir.PlanDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The upgrade of one release in {@code up}, under its lock and between its hooks: a release left
 * pending handled as {@code pending_release_strategy} says, Helm's server dry run compared with the
 * reviewed render (drift, {@code --require-reviewed}, unchanged), then the upgrade itself and the
 * restart asked for. {@link UpRun} schedules it; {@link #preview} is its {@code --dry-run}.
 */
@SuppressWarnings("try") // a lock is held for its block, not used in it
final class Upgrade {
  private final Cluster cluster;
  private final PlanDirectory dir;
  private final HookRunner hooks;
  private final UpRequest request;
  private final EventListener listener;
  private final Cancellation cancellation;
  private final Map<String, Integer> before;
  private final Map<String, Integer> after;
  private final Map<String, String> drift;

  /**
   * @param before where each release's revision before the run is recorded, for those installed
   * @param after where the revision each upgrade wrote is recorded, failed ones too
   * @param drift where how each deploy-time render differed from the reviewed one is recorded
   */
  Upgrade(
      Cluster cluster,
      PlanDirectory dir,
      HookRunner hooks,
      UpRequest request,
      EventListener listener,
      Cancellation cancellation,
      Map<String, Integer> before,
      Map<String, Integer> after,
      Map<String, String> drift) {
    this.cluster = cluster;
    this.dir = dir;
    this.hooks = hooks;
    this.request = request;
    this.listener = listener;
    this.cancellation = cancellation;
    this.before = before;
    this.after = after;
    this.drift = drift;
  }

  /**
   * {@link #runLocked} with a failure to reach the API server reported as such, whichever call met
   * it.
   */
  TaskResult run(Release r) throws Exception {
    try {
      TaskResult result = runLocked(r);
      if (result.outcome() != Outcome.FAILED) {
        return result;
      }
      // A failure while the API server is gone says so first: the rest is its consequence.
      Optional<String> unreachable = cluster.unreachable(r);
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

  private TaskResult runLocked(Release r) throws Exception {
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
      Optional<ReleaseRevision> live = cluster.latest(r);
      live.ifPresent(l -> before.put(name, l.revision()));
      AtomicReference<String> waitingFor = new AtomicReference<>();
      Operation operation =
          EngineCalls.operation(
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
      boolean wasPending = live.isPresent() && RevisionPolicy.isPending(live.get());
      if (wasPending) {
        Optional<TaskResult> stuck = resolvePending(r, live.get(), operation);
        if (stuck.isPresent()) {
          return stuck.get();
        }
      }
      UpgradeRequest upgrade = EngineCalls.upgradeRequest(cluster, r);
      Planned planned = plan(r, upgrade, operation);
      planned.drift().ifPresent(d -> drift.put(name, d));
      if (planned.refusal().isPresent() && request.requireReviewed()) {
        return TaskResult.failed(planned.refusal().get());
      }
      if (planned.unchanged() && !request.forceUpgrade() && !wasPending) {
        // Unchanged: the live revision is the one found before, which stays.
        Optional<String> restarted = restart(r, live.get().manifestWithHooks());
        hooks.run(r.lifecycle(), Lifecycle.Phase.POST_UP, Optional.of(r), listener);
        return new TaskResult(Outcome.UNCHANGED, restarted);
      }
      ReleaseRevision deployed;
      try {
        deployed = cluster.upgrade(upgrade, operation);
      } catch (HelmOperationException e) {
        try {
          e.release()
              .map(ReleaseRevision::revision)
              .or(() -> cluster.latest(r).map(ReleaseRevision::revision))
              .ifPresent(revision -> after.put(name, revision));
        } catch (RuntimeException unreachable) {
          // The cluster cannot say which revision Helm wrote; the failure says why.
        }
        if (lost.get() != null) {
          return TaskResult.failed(
              "lost the lock of the release (" + lost.get() + "); stopped: " + e.getMessage());
        }
        if (e.reason() == HelmOperationException.Reason.UNREACHABLE) {
          throw e; // run() says so first; there is no cluster to diagnose
        }
        String reason = e.getMessage();
        if (e.reason() == HelmOperationException.Reason.TIMEOUT && waitingFor.get() != null) {
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
      Optional<String> restarted = restart(r, deployed.manifestWithHooks());
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

  private Planned plan(Release r, UpgradeRequest upgrade, Operation operation) {
    String name = r.uniqueName();
    UpgradePlan plan;
    try {
      plan = cluster.planUpgrade(upgrade, operation);
    } catch (HelmOperationException e) {
      if (e.cancelled()) {
        // A signal: the upgrade is cancelled too, and says so; there is no render to compare.
        return new Planned(Optional.empty(), Optional.empty(), false);
      }
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
  private Optional<String> restart(Release r, String manifest) {
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
    String diagnosis = cluster.diagnose(r, manifest);
    return TaskResult.failed(reason + (diagnosis.isEmpty() ? "" : "; " + diagnosis));
  }

  /** Empty when the release may now be upgraded; a failure when it must stay as it is. */
  private Optional<TaskResult> resolvePending(Release r, ReleaseRevision live, Operation operation)
      throws InterruptedException {
    String state = live.status() + " (revision " + live.revision() + ")";
    switch (r.deployment().pendingReleaseStrategy()) {
      case ROLLBACK -> {
        new Rollback(cluster).recoverPending(r, operation);
        return Optional.empty();
      }
      case UNINSTALL -> {
        new Down(cluster).uninstall(r, operation);
        return Optional.empty();
      }
      case WAIT -> {
        return waitWhilePending(r, live);
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
  private Optional<TaskResult> waitWhilePending(Release r, ReleaseRevision live)
      throws InterruptedException {
    Duration lockTimeout = request.lockTimeout();
    long deadline = System.nanoTime() + lockTimeout.toNanos();
    ReleaseRevision now = live;
    listener.on(
        new Event.ReleaseWaiting(
            r.uniqueName(),
            "release "
                + now.status()
                + " (revision "
                + now.revision()
                + ", another client), up to "
                + dev.deployer.core.plan.GoDuration.format(lockTimeout)));
    while (RevisionPolicy.isPending(now)) {
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
      Optional<ReleaseRevision> next = cluster.latest(r);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      now = next.get();
    }
    return Optional.empty();
  }

  /** {@code up --dry-run} of one release: what its upgrade would do, found without changes. */
  ReleaseReport preview(Release r) {
    java.time.Instant start = java.time.Instant.now();
    Optional<ReleaseRevision> live = cluster.latest(r);
    Optional<Integer> now = live.map(ReleaseRevision::revision);
    Outcome outcome;
    Optional<String> reason;
    Optional<String> drift = Optional.empty();
    if (live.isPresent() && RevisionPolicy.isPending(live.get())) {
      outcome = Outcome.WOULD_RESOLVE;
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
      UpgradeRequest upgrade = EngineCalls.upgradeRequest(cluster, r);
      Planned planned = plan(r, upgrade, new Operation(cancellation, e -> {}));
      drift = planned.drift();
      boolean installs =
          live.isEmpty() || live.get().status() == dev.deployer.core.helm.ReleaseStatus.UNINSTALLED;
      if (planned.refusal().isPresent() && request.requireReviewed()) {
        outcome = Outcome.WOULD_REFUSE;
        reason = planned.refusal();
      } else if (planned.unchanged() && !request.forceUpgrade()) {
        outcome = Outcome.UNCHANGED;
        reason = Optional.empty();
      } else {
        outcome = installs ? Outcome.WOULD_INSTALL : Outcome.WOULD_UPGRADE;
        reason = Optional.empty();
      }
    }
    return new ReleaseReport(
        r.uniqueName(),
        outcome,
        now,
        Optional.empty(),
        Duration.between(start, java.time.Instant.now()),
        reason,
        drift,
        false);
  }
}
