package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.helm.UninstallRequest;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import dev.deployer.core.plan.WaitStrategy;
import java.nio.file.Path;

/**
 * How a run's release becomes an engine call: its upgrade, rollback and uninstall requests, each
 * with the release's own options, and its operation.
 */
final class EngineCalls {
  private EngineCalls() {}

  /** The release as the engine addresses it: the kubeconfig of its context, in memory. */
  static ReleaseRef ref(Cluster cluster, Release r) {
    return new ReleaseRef(cluster.kubeconfig(r), r.namespace(), r.name());
  }

  /** The upgrade of a release; its revision records a digest of its deploy options. */
  static UpgradeRequest upgradeRequest(Cluster cluster, Release r) {
    return new UpgradeRequest(
        ref(cluster, r),
        Path.of(r.chart().name()),
        r.values().stream().map(ValuesFile::src).map(Path::of).toList(),
        UpgradeRequest.UpgradeOptions.of(r));
  }

  /**
   * Helm's rollback of a release to {@code revision}, waiting and timing out as the release says.
   */
  static RollbackRequest rollbackRequest(Cluster cluster, Release r, int revision) {
    return new RollbackRequest(ref(cluster, r), revision, r.deployment());
  }

  /**
   * Helm's uninstall of a release with its hooks and deletion propagation as the release says; it
   * waits for its hooks only.
   */
  static UninstallRequest uninstallRequest(Cluster cluster, Release r) {
    Release.Deployment d = r.deployment();
    return new UninstallRequest(
        ref(cluster, r),
        WaitStrategy.HOOK_ONLY,
        d.timeout(),
        false,
        d.disableHooks(),
        d.deletePropagation(),
        "");
  }

  /**
   * An engine operation for a release of this run: cancelled with the run, its wait progress
   * reported as events, and each warning of the API server once (it repeats one on every request
   * for a deprecated API).
   */
  static Operation operation(Cancellation cancellation, Release r, EventListener listener) {
    java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
    return new Operation(
        cancellation,
        e -> {
          e.waitingFor()
              .ifPresent(what -> listener.on(new Event.ReleaseWaiting(r.uniqueName(), what)));
          e.warning()
              .filter(warned::add)
              .ifPresent(
                  text ->
                      listener.on(
                          new Event.Warning(
                              new Problem(
                                  r.location(),
                                  "releases." + r.uniqueName(),
                                  "the API server warns: " + text))));
        });
  }
}
