package dev.deployer.core.deploy;

import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.ReleaseStatus;
import dev.deployer.core.plan.MonitorRef;
import java.util.List;
import java.util.Optional;

/**
 * The rules deployer reads off a release's Helm history (oldest first), decided without touching
 * anything: which revisions are pending, which once deployed, where a rollback goes back to, how a
 * release stuck in {@code pending-*} is recovered, and what undoing an {@code up} run may do.
 *
 * <p>"Last good" follows Helm's own {@code upgrade --rollback-on-failure}: the newest revision that
 * is {@code deployed} or {@code superseded}. A plain {@code helm rollback} would go to the revision
 * before the current one whatever its status, a failed one included; deployer never does.
 */
public final class RevisionPolicy {
  private RevisionPolicy() {}

  /**
   * Whether an operation on this revision is under way, or was cut short: {@code pending-*}, or
   * {@code uninstalling} (an uninstall that did not finish; Helm does not call it pending).
   */
  public static boolean isPending(ReleaseRevision r) {
    return r.status().isPendingOperation() || r.status() == ReleaseStatus.UNINSTALLING;
  }

  /** Whether this revision was once deployed successfully, and may be rolled back to. */
  public static boolean wasDeployed(ReleaseRevision r) {
    return r.status() == ReleaseStatus.DEPLOYED || r.status() == ReleaseStatus.SUPERSEDED;
  }

  /** The newest revision; empty when the release was never installed. */
  public static Optional<ReleaseRevision> latest(List<ReleaseRevision> history) {
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /** Whether the release's newest revision is pending, so no upgrade or plain rollback may run. */
  public static boolean stuck(List<ReleaseRevision> history) {
    return latest(history).map(RevisionPolicy::isPending).orElse(false);
  }

  /**
   * Where a rollback without a revision goes back to: the newest revision before the latest that
   * was deployed successfully, never a failed or pending one.
   *
   * @throws HelmOperationException when the release is not installed, or nothing before its latest
   *     revision deployed
   */
  public static int rollbackTarget(List<ReleaseRevision> history) {
    int latest =
        latest(history)
            .orElseThrow(() -> new HelmOperationException("release: not found"))
            .revision();
    return newestDeployed(history, latest - 1)
        .orElseThrow(
            () ->
                new HelmOperationException(
                    "no revision before "
                        + latest
                        + " was deployed successfully: nothing to roll back to"));
  }

  /**
   * How a release stuck in {@code pending-*} is recovered.
   *
   * @param markFailed every pending revision, to be recorded failed first, so none stays pending
   *     and none can later count as deployed (Helm's rollback supersedes what it replaces)
   * @param rollbackTo the newest revision that deployed successfully; empty when none did, and the
   *     release is uninstalled instead
   */
  public record PendingRecovery(List<ReleaseRevision> markFailed, Optional<Integer> rollbackTo) {
    public PendingRecovery {
      markFailed = List.copyOf(markFailed);
    }
  }

  /** How a stuck release is recovered: see {@link PendingRecovery}. */
  public static PendingRecovery recoverPending(List<ReleaseRevision> history) {
    return new PendingRecovery(
        history.stream().filter(RevisionPolicy::isPending).toList(),
        newestDeployed(history, Integer.MAX_VALUE));
  }

  /** The description Helm records on a pending revision that deployer marks failed. */
  public static String stuckDescription(ReleaseRevision r) {
    return "deployer: was " + r.status() + ", left by a run that did not finish";
  }

  /** What undoing an {@code up} run's change to one release does. */
  public sealed interface UndoStep {}

  /** The release goes back to {@code revision}, which deployed before the run. */
  public record RollBackTo(int revision) implements UndoStep {}

  /** The release is uninstalled. */
  public record Uninstall() implements UndoStep {}

  /** The release stays as it is; the run does not succeed, and {@code why} says so. */
  public record LeaveAlone(String why) implements UndoStep {}

  /**
   * What undoing an {@code up} run's change to a release may do. Only what this run wrote is
   * undone: a newer revision is another run's or a person's. A rollback goes back to the newest
   * revision that was deployed successfully before the run, never a failed or pending one; a
   * release that had none (this run installed it, or it never deployed) is uninstalled.
   *
   * @param history the release's history now
   * @param action {@code rollback} or {@code uninstall}
   * @param before the release's newest revision when the run started; empty when not installed
   * @param ours the newest revision this run wrote; empty when it wrote none
   */
  public static UndoStep undo(
      List<ReleaseRevision> history,
      MonitorRef.Action action,
      Optional<Integer> before,
      Optional<Integer> ours) {
    Optional<ReleaseRevision> live = latest(history);
    if (ours.isPresent() && live.isPresent() && live.get().revision() != ours.get()) {
      return new LeaveAlone(
          "not undone: the live revision "
              + live.get().revision()
              + " is not the one this run wrote ("
              + ours.get()
              + ")");
    }
    if (action != MonitorRef.Action.ROLLBACK || before.isEmpty()) {
      return new Uninstall();
    }
    if (ours.isEmpty()) {
      // The release was unchanged: what is live was deployed before this run.
      return new LeaveAlone(
          "not rolled back: this run did not change it (revision "
              + before.get()
              + " was deployed before)");
    }
    // Below what this run wrote too: an uninstall by pending recovery starts the numbers anew.
    return newestDeployed(history, Math.min(before.get(), ours.get() - 1))
        .<UndoStep>map(RollBackTo::new)
        .orElseGet(Uninstall::new);
  }

  /** The newest revision numbered at most {@code atMost} that deployed successfully. */
  private static Optional<Integer> newestDeployed(List<ReleaseRevision> history, int atMost) {
    return history.stream()
        .filter(r -> r.revision() <= atMost && wasDeployed(r))
        .reduce((older, newer) -> newer)
        .map(ReleaseRevision::revision);
  }
}
