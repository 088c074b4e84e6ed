package dev.deployer.core.deploy;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The uninstall of one release, for {@code deployer down}, a failed monitor's action and {@code
 * pending_release_strategy: uninstall}: Helm's uninstall with the release's hooks and deletion
 * propagation; and {@code down}'s refusal to take away what an installed release outside the
 * selection needs.
 */
final class Down {
  private final Cluster cluster;

  Down(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Refuses a down that would take away what an installed release outside it depends on.
   *
   * @throws DownRefusedException naming each such release and what needs it
   */
  void refuseNeeded(LoadedPlan loaded) {
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
   * {@code deployer down} of one installed release. Cut short (a signal), Helm leaves the release
   * {@code uninstalling}, and the failure says what to do.
   *
   * @return empty: an uninstalled release has no revision
   */
  Optional<Integer> run(Release r, Operation operation) {
    try {
      uninstall(r, operation);
    } catch (HelmOperationException e) {
      boolean leftUninstalling =
          cluster
              .latest(r)
              .map(l -> l.status() == dev.deployer.core.helm.ReleaseStatus.UNINSTALLING)
              .orElse(false);
      throw leftUninstalling
          ? new HelmOperationException(
              e.getMessage()
                  + "; Helm left the release uninstalling: run 'deployer down' for it again"
                  + " to finish removing it")
          : e;
    }
    return Optional.empty();
  }

  /**
   * Helm's uninstall of the release, with its options.
   *
   * @return false when it was not installed
   */
  boolean uninstall(Release r, Operation operation) {
    return cluster.uninstall(EngineCalls.uninstallRequest(cluster, r), operation);
  }

  /** What {@code down --dry-run} says of an installed release. */
  ReverseRun.Would wouldDo(Release r, ReleaseRevision live) {
    return new ReverseRun.Would(
        Outcome.WOULD_UNINSTALL, "revision " + live.revision() + " is removed");
  }
}
