package dev.deployer.core.deploy;

import dev.deployer.core.plan.Release;
import java.time.Duration;
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
  AutoCloseable lock(Release release, Duration timeout);

  /** The release's newest revision in the cluster, if it was ever installed. */
  Optional<LiveRevision> latest(Release release);

  /** Deletes revisions beyond {@code maxHistory} (0 keeps all), as Helm's history limit. */
  void prune(Release release, int maxHistory);

  /**
   * Rolls the release back to {@code revision}, or to the one before its latest.
   *
   * @return the new revision
   */
  int rollback(Release release, Optional<Integer> revision);

  /**
   * Resolves a release stuck in {@code pending-*}: the stuck revision becomes {@code failed} and
   * the release goes back to its deployed revision, or is uninstalled when it has none.
   *
   * @return the new revision; empty when the release was uninstalled
   */
  Optional<Integer> resolvePendingByRollback(Release release);

  /**
   * Waits until the Jobs of a release's manifest (not its hooks: Helm waits for those) have
   * completed, for {@code wait_for_jobs}.
   *
   * @return why they did not, when a Job failed or the timeout came first
   */
  Optional<String> waitForJobs(Release release, String manifest, Duration timeout);

  /** Why a release's resources are not healthy: failing resources, pod restarts, events. */
  String diagnose(Release release, String manifest);

  /**
   * A revision of a release as Helm recorded it.
   *
   * @param chartName the chart's name
   * @param chartVersion the chart's version
   * @param updated when it was deployed, as Helm recorded it
   */
  record LiveRevision(
      int revision,
      String status,
      String chartName,
      String chartVersion,
      String appVersion,
      String updated,
      String description,
      String manifest) {
    /** {@code name-version}, as {@code helm list} shows a chart. */
    public String chart() {
      return chartName + "-" + chartVersion;
    }

    public boolean pending() {
      return status.startsWith("pending-");
    }
  }
}
