package dev.deployer.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.ReleaseStatus;
import dev.deployer.core.plan.MonitorRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rules on a release's Helm history that rollback, pending recovery and an {@code up} run's
 * undo follow, on histories written as Helm would leave them ({@code "1 superseded", "2 failed"}).
 * {@code Rollback}, {@code Down} and {@code UpRun} take their answers from {@link RevisionPolicy},
 * on the real cluster and on the policy tests' fakes alike.
 */
class RevisionPolicyTest {
  static final MonitorRef.Action ROLLBACK = MonitorRef.Action.ROLLBACK;
  static final MonitorRef.Action UNINSTALL = MonitorRef.Action.UNINSTALL;

  /** A history, oldest first, from {@code "<revision> <status>"} entries. */
  /**
   * {@link RevisionPolicy#undo} of a release with {@code history}, whose revision before the run
   * was {@code before} and that the run wrote {@code ours}; {@code null} for none.
   */
  static RevisionPolicy.UndoStep undo(
      MonitorRef.Action action, Integer before, Integer ours, String... history) {
    return RevisionPolicy.undo(
        history(history), action, Optional.ofNullable(before), Optional.ofNullable(ours));
  }

  static List<ReleaseRevision> history(String... entries) {
    List<ReleaseRevision> out = new ArrayList<>();
    for (String e : entries) {
      String[] parts = e.split(" ");
      out.add(
          new ReleaseRevision(
              "api",
              "shop",
              Integer.parseInt(parts[0]),
              ReleaseStatus.valueOf(parts[1].toUpperCase(java.util.Locale.ROOT).replace('-', '_')),
              "",
              "api",
              "1.0.0",
              "",
              Optional.empty(),
              Optional.empty(),
              "",
              List.of(),
              Map.of()));
    }
    return out;
  }

  static ReleaseRevision one(String entry) {
    return history(entry).get(0);
  }

  @Test
  void pendingStatesAreHelmsPendingOnesAndAnUninstallCutShort() {
    for (String s :
        List.of("pending-install", "pending-upgrade", "pending-rollback", "uninstalling")) {
      assertThat(RevisionPolicy.isPending(one("1 " + s))).as(s).isTrue();
    }
    for (String s : List.of("deployed", "superseded", "failed", "uninstalled")) {
      assertThat(RevisionPolicy.isPending(one("1 " + s))).as(s).isFalse();
    }
  }

  @Test
  void onlyDeployedAndSupersededRevisionsEverDeployed() {
    assertThat(RevisionPolicy.wasDeployed(one("1 deployed"))).isTrue();
    assertThat(RevisionPolicy.wasDeployed(one("1 superseded"))).isTrue();
    for (String s :
        List.of(
            "failed",
            "pending-install",
            "pending-upgrade",
            "pending-rollback",
            "uninstalling",
            "uninstalled")) {
      assertThat(RevisionPolicy.wasDeployed(one("1 " + s))).as(s).isFalse();
    }
  }

  @Test
  void aReleaseIsStuckWhenItsNewestRevisionIsPending() {
    assertThat(RevisionPolicy.stuck(history())).isFalse();
    assertThat(RevisionPolicy.stuck(history("1 deployed"))).isFalse();
    assertThat(RevisionPolicy.stuck(history("1 deployed", "2 pending-upgrade"))).isTrue();
    assertThat(RevisionPolicy.stuck(history("1 superseded", "2 uninstalling"))).isTrue();
    // A pending revision under a newer one no longer blocks anything.
    assertThat(RevisionPolicy.stuck(history("1 pending-upgrade", "2 deployed"))).isFalse();
    assertThat(RevisionPolicy.latest(history("1 superseded", "2 deployed")))
        .map(ReleaseRevision::revision)
        .hasValue(2);
    assertThat(RevisionPolicy.latest(history())).isEmpty();
  }

  @Test
  void rollbackGoesBackToTheNewestEarlierRevisionThatDeployedSkippingFailedAndPendingOnes() {
    assertThat(RevisionPolicy.rollbackTarget(history("1 superseded", "2 deployed"))).isEqualTo(1);
    // helm rollback would pick 2, the failed one: deployer goes back to what last worked.
    assertThat(RevisionPolicy.rollbackTarget(history("1 deployed", "2 failed"))).isEqualTo(1);
    assertThat(
            RevisionPolicy.rollbackTarget(
                history("1 superseded", "2 superseded", "3 failed", "4 pending-rollback")))
        .isEqualTo(2);
    assertThat(
            RevisionPolicy.rollbackTarget(
                history("1 superseded", "2 pending-upgrade", "3 failed", "4 deployed")))
        .isEqualTo(1);
    assertThat(RevisionPolicy.rollbackTarget(history("1 superseded", "2 uninstalling")))
        .isEqualTo(1);
  }

  @Test
  void rollbackWithNothingToGoBackToSaysWhy() {
    assertThatThrownBy(() -> RevisionPolicy.rollbackTarget(history("1 deployed")))
        .isInstanceOf(HelmOperationException.class)
        .hasMessage("no revision before 1 was deployed successfully: nothing to roll back to");
    assertThatThrownBy(
            () -> RevisionPolicy.rollbackTarget(history("1 failed", "2 pending-install")))
        .hasMessage("no revision before 2 was deployed successfully: nothing to roll back to");
    assertThatThrownBy(() -> RevisionPolicy.rollbackTarget(history()))
        .isInstanceOf(HelmOperationException.class)
        .hasMessage("release: not found");
  }

  @Test
  void aStuckReleaseIsRecoveredByMarkingEveryPendingRevisionFailedThenRollingBackToTheLastGood() {
    RevisionPolicy.PendingRecovery r =
        RevisionPolicy.recoverPending(
            history("1 superseded", "2 pending-upgrade", "3 deployed", "4 pending-upgrade"));

    assertThat(r.markFailed()).extracting(ReleaseRevision::revision).containsExactly(2, 4);
    assertThat(r.rollbackTo()).hasValue(3);
    assertThat(RevisionPolicy.stuckDescription(one("4 pending-upgrade")))
        .isEqualTo("deployer: was pending-upgrade, left by a run that did not finish");
  }

  @Test
  void aStuckReleaseThatNeverDeployedIsUninstalled() {
    RevisionPolicy.PendingRecovery install =
        RevisionPolicy.recoverPending(history("1 pending-install"));
    assertThat(install.markFailed()).extracting(ReleaseRevision::revision).containsExactly(1);
    assertThat(install.rollbackTo()).isEmpty();

    RevisionPolicy.PendingRecovery uninstall =
        RevisionPolicy.recoverPending(history("1 uninstalling"));
    assertThat(uninstall.rollbackTo()).isEmpty();

    assertThat(RevisionPolicy.recoverPending(history("1 failed", "2 pending-upgrade")).rollbackTo())
        .isEmpty();
  }

  @Test
  void anUndoRollsBackToWhatWasDeployedBeforeTheRunNeverToAFailedRevision() {
    // Before the run: 1 deployed, 2 failed; the run wrote 3.
    assertThat(undo(ROLLBACK, 2, 3, "1 superseded", "2 failed", "3 deployed"))
        .isEqualTo(new RevisionPolicy.RollBackTo(1));
    assertThat(undo(ROLLBACK, 1, 2, "1 superseded", "2 deployed"))
        .isEqualTo(new RevisionPolicy.RollBackTo(1));
    // A pending release the run recovered (3, a rollback to 1) and upgraded (4).
    assertThat(undo(ROLLBACK, 2, 4, "1 superseded", "2 failed", "3 superseded", "4 deployed"))
        .isEqualTo(new RevisionPolicy.RollBackTo(1));
  }

  @Test
  void anUndoUninstallsWhatHadNoDeployedRevisionBeforeTheRun() {
    // Installed by this run.
    assertThat(undo(ROLLBACK, null, 1, "1 deployed")).isEqualTo(new RevisionPolicy.Uninstall());
    // Was pending at revision 2; the run uninstalled it, then installed revision 1 afresh.
    assertThat(undo(ROLLBACK, 2, 1, "1 failed")).isEqualTo(new RevisionPolicy.Uninstall());
    // Nothing before the run ever deployed.
    assertThat(undo(ROLLBACK, 1, 2, "1 failed", "2 deployed"))
        .isEqualTo(new RevisionPolicy.Uninstall());
    // A monitor that asks to uninstall.
    assertThat(undo(UNINSTALL, 1, 2, "1 superseded", "2 deployed"))
        .isEqualTo(new RevisionPolicy.Uninstall());
  }

  @Test
  void anUndoLeavesAloneWhatThisRunDidNotWrite() {
    assertThat(undo(ROLLBACK, 1, 2, "1 superseded", "2 superseded", "3 deployed"))
        .isEqualTo(
            new RevisionPolicy.LeaveAlone(
                "not undone: the live revision 3 is not the one this run wrote (2)"));
    assertThat(undo(UNINSTALL, 1, 2, "1 superseded", "2 superseded", "3 deployed"))
        .isInstanceOf(RevisionPolicy.LeaveAlone.class);
    assertThat(undo(ROLLBACK, 1, null, "1 deployed"))
        .isEqualTo(
            new RevisionPolicy.LeaveAlone(
                "not rolled back: this run did not change it (revision 1 was deployed before)"));
  }
}
