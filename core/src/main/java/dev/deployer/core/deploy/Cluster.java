package dev.deployer.core.deploy;

import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.helm.UninstallRequest;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What deploying needs of the clusters a plan's releases live in. One implementation talks to
 * Kubernetes through fabric8 and Helm's release records; tests may use others.
 */
public interface Cluster {

  /** The kubeconfig contents for the release's kube context, for Helm. */
  String kubeconfig(Release release);

  /** Creates the release's namespace when it does not exist. */
  void ensureNamespace(Release release);

  /**
   * Takes the release's lock, waiting up to {@code timeout} for another run to let go.
   *
   * @throws LockHeldException when another run still holds it
   */
  Lock lock(Release release, Duration timeout);

  /**
   * As {@link #lock(Release, Duration)}; {@code waiting} hears who holds the lock and for how long
   * this run waits, when it has to wait.
   */
  default Lock lock(
      Release release, Duration timeout, java.util.function.Consumer<String> waiting) {
    return lock(release, timeout);
  }

  /** A held release lock; closing it lets go. */
  interface Lock extends AutoCloseable {
    /**
     * Calls {@code listener} with the reason if the lock is lost while held (another run took it,
     * or it could not be renewed).
     */
    void onLost(java.util.function.Consumer<String> listener);

    /** Lets go of the lock; never fails (a lease that cannot be freed expires). */
    @Override
    void close();
  }

  /**
   * Upgrades (or installs) the release with Helm's upgrade, waiting as its options say.
   *
   * @return the revision Helm wrote
   * @throws dev.deployer.core.helm.HelmOperationException when Helm's upgrade failed
   */
  ReleaseRevision upgrade(UpgradeRequest request, Operation operation);

  /**
   * What {@link #upgrade} would do, by Helm's server dry run: the planned revision, and the newest
   * and the deployed ones to compare it with. Changes nothing.
   */
  UpgradePlan planUpgrade(UpgradeRequest request, Operation operation);

  /** The release's revisions as Helm recorded them, oldest first; empty when never installed. */
  List<ReleaseRevision> history(Release release);

  /** The release's newest revision in the cluster, if it was ever installed. */
  default Optional<ReleaseRevision> latest(Release release) {
    return RevisionPolicy.latest(history(release));
  }

  /**
   * Rolls a release back with Helm's rollback, as the request says; which revision to go back to is
   * {@code Rollback}'s to decide.
   *
   * @return the revision Helm wrote
   * @throws dev.deployer.core.helm.HelmOperationException when Helm's rollback failed
   */
  ReleaseRevision rollback(RollbackRequest request, Operation operation);

  /**
   * Records a revision left {@code pending-*} (or {@code uninstalling}) as failed, through Helm's
   * storage; a revision that is not pending stays as it is.
   */
  void markFailed(ReleaseRef release, int revision, String description);

  /**
   * Uninstalls a release with Helm's uninstall (its delete hooks, resource policies), as the
   * request says.
   *
   * @return false when it was not installed
   */
  boolean uninstall(UninstallRequest request, Operation operation);

  /**
   * Restarts the release's Deployments, StatefulSets and DaemonSets, as {@code kubectl rollout
   * restart} does.
   *
   * @return what was restarted, {@code Kind/namespace/name}
   */
  List<String> restartWorkloads(Release release, String manifest);

  /** Why the API server of the release's cluster cannot be reached now; empty when it answers. */
  default Optional<String> unreachable(Release release) {
    return Optional.empty();
  }

  /** Why a release's resources are not healthy: failing resources, pod restarts, events. */
  String diagnose(Release release, String manifest);
}
