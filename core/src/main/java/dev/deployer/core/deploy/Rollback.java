package dev.deployer.core.deploy;

import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Release;
import java.util.List;
import java.util.Optional;

/**
 * The rollback of one release, for {@code deployer rollback}, a failed monitor's action, {@code
 * deployer monitor} and {@code pending_release_strategy: rollback}: Helm's rollback with the
 * release's options, to the revision {@link RevisionPolicy} picks. A release stuck in {@code
 * pending-*} has its stuck revisions recorded failed first.
 */
final class Rollback {
  private final Cluster cluster;

  Rollback(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * The revision a rollback goes back to: {@code revision}, or the newest before the latest that
   * was deployed successfully.
   *
   * @throws HelmOperationException when there is none
   */
  int target(Release r, Optional<Integer> revision) {
    return revision.orElseGet(() -> RevisionPolicy.rollbackTarget(cluster.history(r)));
  }

  /**
   * {@code deployer rollback} of one installed release: to {@code revision}, or to its last good
   * revision; a stuck release is recovered as {@link #recoverPending} does, or, with a {@code
   * revision}, has its stuck revisions recorded failed before it goes there.
   *
   * @return the new revision; empty when a stuck release that never deployed was uninstalled
   */
  Optional<Integer> run(Release r, Optional<Integer> revision, Operation operation) {
    List<ReleaseRevision> history = cluster.history(r);
    if (RevisionPolicy.stuck(history)) {
      if (revision.isEmpty()) {
        return recoverPending(r, history, operation);
      }
      markFailed(r, RevisionPolicy.recoverPending(history).markFailed());
    }
    return Optional.of(
        to(r, revision.orElseGet(() -> RevisionPolicy.rollbackTarget(history)), operation));
  }

  /** Back to the newest revision before the latest that was deployed successfully. */
  int toLastGood(Release r, Operation operation) {
    return to(r, target(r, Optional.empty()), operation);
  }

  /**
   * Recovers a release stuck in {@code pending-*}: every pending revision is recorded failed, then
   * Helm rolls it back to its newest revision that deployed successfully, or uninstalls it when it
   * has none.
   *
   * @return the new revision; empty when the release was uninstalled
   */
  Optional<Integer> recoverPending(Release r, Operation operation) {
    return recoverPending(r, cluster.history(r), operation);
  }

  private Optional<Integer> recoverPending(
      Release r, List<ReleaseRevision> history, Operation operation) {
    RevisionPolicy.PendingRecovery recovery = RevisionPolicy.recoverPending(history);
    markFailed(r, recovery.markFailed());
    if (recovery.rollbackTo().isEmpty()) {
      new Down(cluster).uninstall(r, operation);
      return Optional.empty();
    }
    return Optional.of(to(r, recovery.rollbackTo().get(), operation));
  }

  private void markFailed(Release r, List<ReleaseRevision> stuck) {
    for (ReleaseRevision s : stuck) {
      cluster.markFailed(
          EngineCalls.ref(cluster, r), s.revision(), RevisionPolicy.stuckDescription(s));
    }
  }

  /**
   * Helm's rollback of the release to {@code revision}, with its options.
   *
   * @return the revision Helm wrote
   */
  int to(Release r, int revision, Operation operation) {
    return cluster
        .rollback(EngineCalls.rollbackRequest(cluster, r, revision), operation)
        .revision();
  }

  /** What {@code rollback --dry-run} says of an installed release. */
  ReverseRun.Would wouldDo(Release r, Optional<Integer> revision, ReleaseRevision live) {
    try {
      return new ReverseRun.Would(
          Outcome.WOULD_ROLL_BACK,
          "to revision " + target(r, revision) + " (now " + live.revision() + ")");
    } catch (HelmOperationException e) {
      return new ReverseRun.Would(Outcome.FAILED, e.getMessage());
    }
  }
}
