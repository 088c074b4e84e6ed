package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import java.nio.file.Path;

/** How a run's release becomes an engine call: its upgrade request and its operation. */
final class EngineCalls {
  private EngineCalls() {}

  /** The upgrade of a release; its revision records a digest of its deploy options. */
  static UpgradeRequest upgradeRequest(Cluster cluster, Release r) {
    return new UpgradeRequest(
        new ReleaseRef(cluster.kubeconfig(r), r.namespace(), r.name()),
        Path.of(r.chart().name()),
        r.values().stream().map(ValuesFile::src).map(Path::of).toList(),
        UpgradeRequest.UpgradeOptions.of(r));
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
