package dev.deployer.core.deploy;

import static dev.deployer.core.fake.FakeDeploy.line;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.fake.FakeDeploy;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@code up} that need no cluster to show: which releases run, which are skipped and
 * why, what a failure's reason says, how a pending release is recovered, what {@code
 * --rollback-on-failure plan} undoes. On fakes, in milliseconds; {@link DeployScenarios} shows the
 * same against a real API server with the real engine.
 */
class UpPolicyTest {
  /** Two releases, one depending on the other; built once for the tests that share it. */
  static final String TWO =
      """
      releases:
        - {name: a, namespace: app, chart: ./ok, timeout: 2s}
        - {name: b, namespace: app, chart: ./ok, depends_on: [a]}
      """;

  @TempDir Path dir;
  FakeDeploy fake;

  @BeforeEach
  void setUp() {
    fake = new FakeDeploy(dir);
  }

  @Test
  void aFailedReleaseSkipsItsDependentsNamingTheCauseAndTheRestDeploy() {
    Path planDir =
        fake.build(
            """
            .o: &o {namespace: app, chart: ./ok}
            releases:
              - {<<: *o, name: a}
              - {<<: *o, name: b, depends_on: [a]}
              - {<<: *o, name: c, depends_on: [a]}
              - {<<: *o, name: d, depends_on: [b, c]}
              - {<<: *o, name: e, depends_on: [d]}
              - {<<: *o, name: x}
            """);
    fake.engine.failUpgrade("b@app", "admission webhook denied the request");
    fake.cluster.diagnosis("b@app", "Pod/app/b-0: CrashLoopBackOff");

    RunReport report = fake.up(planDir);

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "a@app")).isEqualTo("deployed -->1");
    // Helm's message first, then what the cluster says is unhealthy.
    assertThat(line(report, "b@app"))
        .isEqualTo(
            "failed -->1: admission webhook denied the request; Pod/app/b-0: CrashLoopBackOff");
    assertThat(line(report, "c@app")).isEqualTo("deployed -->1");
    assertThat(line(report, "d@app")).isEqualTo("skipped -->-: dependency b@app failed");
    assertThat(line(report, "e@app"))
        .isEqualTo("skipped -->-: dependency b@app failed (through d@app)");
    assertThat(line(report, "x@app")).isEqualTo("deployed -->1");
    assertThat(fake.engine.statuses("b@app")).containsExactly("1 failed");
    assertThat(fake.engine.statuses("d@app")).isEmpty();
    assertThat(fake.engine.calls()).doesNotContain("upgrade d@app", "upgrade e@app");
    assertThat(fake.cluster.heldLocks()).isEmpty();
  }

  @Test
  void allowFailureLetsDependentsRunButTheRunStillFails() {
    Path planDir =
        fake.build(
            """
            .o: &o {namespace: app, chart: ./ok}
            releases:
              - {<<: *o, name: optional, allow_failure: true}
              - {<<: *o, name: needs-it, depends_on: [optional]}
            """);
    fake.engine.failUpgrade("optional@app", "boom");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "optional@app")).isEqualTo("failed -->1: boom");
    assertThat(line(report, "needs-it@app")).isEqualTo("deployed -->1");
    assertThat(report.succeeded()).isFalse();
    assertThat(fake.engine.statuses("needs-it@app")).containsExactly("1 deployed");
  }

  @Test
  void aTimeoutSaysWhichTimeoutRanOutAndWhatHelmWaitedFor() {
    Path planDir = fake.build(TWO);
    fake.engine.timeOut("a@app", "Deployment", "a-web", "0/1 ready");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "a@app"))
        .isEqualTo(
            "failed -->1: context deadline exceeded; its timeout (2s) ran out while Helm waited"
                + " for Deployment app/a-web: 0/1 ready");
    assertThat(fake.engine.statuses("a@app")).containsExactly("1 failed");
  }

  @Test
  void aReleaseThatDidNotChangeIsNotUpgradedAgain() {
    Path planDir = fake.build(TWO);
    fake.up(planDir);

    RunReport again = fake.up(planDir);

    assertThat(line(again, "a@app")).isEqualTo("unchanged 1->1");
    assertThat(line(again, "b@app")).isEqualTo("unchanged 1->1");
    assertThat(again.succeeded()).isTrue();
    assertThat(fake.engine.calls()).containsOnlyOnce("upgrade a@app");
    assertThat(fake.engine.statuses("a@app")).containsExactly("1 deployed");
  }

  @Test
  void aReleaseLockedByAnotherRunFailsNamingTheHolderAndItsDependentsAreSkipped() {
    Path planDir = fake.build(TWO);
    fake.cluster.holdLock("a@app", "deployer on ci-7");

    RunReport report = fake.up(planDir);

    assertThat(report.lockedOut()).singleElement().asString().contains("held by deployer on ci-7");
    assertThat(line(report, "a@app")).startsWith("failed -->-: ").contains("deployer on ci-7");
    assertThat(line(report, "b@app")).isEqualTo("skipped -->-: dependency a@app failed");
    assertThat(fake.engine.calls()).isEmpty();
  }

  @Test
  void aPendingReleaseFollowsItsStrategy() {
    Path planDir =
        fake.build(
            """
            .o: &o {namespace: stuck, chart: ./ok}
            releases:
              - {<<: *o, name: p-fail}
              - {<<: *o, name: p-rollback, pending_release_strategy: rollback}
              - {<<: *o, name: p-uninstall, pending_release_strategy: uninstall}
            """);
    fake.up(planDir);
    // A run killed mid-upgrade leaves each release's newest revision pending.
    for (String r : new String[] {"p-fail@stuck", "p-rollback@stuck", "p-uninstall@stuck"}) {
      fake.engine.stayPending(r);
    }
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true));
    for (String r : new String[] {"p-fail@stuck", "p-rollback@stuck", "p-uninstall@stuck"}) {
      fake.engine.heal(r);
      assertThat(fake.engine.statuses(r)).containsExactly("1 deployed", "2 pending-upgrade");
    }

    RunReport report = fake.up(planDir);

    assertThat(line(report, "p-fail@stuck"))
        .isEqualTo(
            "failed 2->-: the release is pending-upgrade (revision 2), left by a run that did not"
                + " finish; recover it with 'deployer rollback p-fail@stuck --plandir "
                + planDir
                + "' (back to its last deployed revision), then up again; or set"
                + " pending_release_strategy: rollback, uninstall or wait");
    assertThat(fake.engine.statuses("p-fail@stuck"))
        .containsExactly("1 deployed", "2 pending-upgrade");
    // rollback: the stuck revision is recorded failed, the last deployed one restored, then the
    // upgrade runs, even though the rollback left the release as planned.
    assertThat(line(report, "p-rollback@stuck")).isEqualTo("deployed 2->4");
    assertThat(fake.engine.statuses("p-rollback@stuck"))
        .containsExactly("1 superseded", "2 failed", "3 superseded", "4 deployed");
    assertThat(line(report, "p-uninstall@stuck")).isEqualTo("deployed 2->1");
    assertThat(fake.engine.statuses("p-uninstall@stuck")).containsExactly("1 deployed");

    // The command the message names recovers it.
    RunReport recovered =
        fake.rollback(
            planDir,
            new dev.deployer.core.graph.Selection(
                java.util.List.of(), false, false, java.util.List.of("p-fail@stuck")));
    assertThat(line(recovered, "p-fail@stuck")).isEqualTo("rolled back 2->3");
    assertThat(fake.engine.statuses("p-fail@stuck"))
        .containsExactly("1 superseded", "2 failed", "3 deployed");
  }

  /**
   * A second run of a plan: {@code base} changed since the first, {@code same} did not, {@code
   * extra} is new and fails.
   */
  Path secondRunWithAFailingRelease() {
    fake.files.write("v.yml", "level: info\n");
    fake.up(
        fake.build(
            """
            releases:
              - {name: base, namespace: all, chart: ./ok, values: [v.yml]}
              - {name: same, namespace: all, chart: ./ok}
            """));
    fake.files.write("v.yml", "level: debug\n");
    Path planDir =
        fake.build(
            """
            releases:
              - {name: base, namespace: all, chart: ./ok, values: [v.yml]}
              - {name: same, namespace: all, chart: ./ok}
              - {name: extra, namespace: all, chart: ./ok, depends_on: [base]}
            """);
    fake.engine.failUpgrade("extra@all", "boom");
    return planDir;
  }

  @Test
  void rollbackOnFailureOfThePlanUndoesEveryChangeOfTheRun() {
    RunReport report = fake.upRollingBackThePlanOnFailure(secondRunWithAFailingRelease());

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "base@all")).isEqualTo("rolled back 1->3: rolled back with the plan");
    assertThat(fake.engine.values("base@all")).hasValue("level: info\n");
    // What this run installed is removed; what it did not change stays.
    assertThat(line(report, "extra@all"))
        .isEqualTo("rolled back -->-: boom; rolled back with the plan");
    assertThat(fake.engine.statuses("extra@all")).isEmpty();
    assertThat(line(report, "same@all")).isEqualTo("unchanged 1->1");
    assertThat(fake.engine.statuses("same@all")).containsExactly("1 deployed");
  }

  @Test
  void withoutRollbackOnFailureAFailedRunKeepsWhatDeployed() {
    RunReport report = fake.up(secondRunWithAFailingRelease());

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "base@all")).isEqualTo("deployed 1->2");
    assertThat(line(report, "extra@all")).isEqualTo("failed -->1: boom");
    assertThat(fake.engine.statuses("base@all")).containsExactly("1 superseded", "2 deployed");
  }

  @Test
  void anUndoGoesBackToWhatWasDeployedBeforeTheRunNeverToTheFailedRevisionItFound() {
    fake.files.write("v.yml", "level: info\n");
    String base = "releases:\n  - {name: base, namespace: all, chart: ./ok, values: [v.yml]}\n";
    fake.up(fake.build(base));
    fake.files.write("v.yml", "level: warn\n");
    fake.engine.failUpgrade("base@all", "boom");
    fake.up(fake.build(base));
    fake.engine.heal("base@all");
    assertThat(fake.engine.statuses("base@all")).containsExactly("1 deployed", "2 failed");
    fake.files.write("v.yml", "level: debug\n");
    Path planDir =
        fake.build(base + "  - {name: extra, namespace: all, chart: ./ok, depends_on: [base]}\n");
    fake.engine.failUpgrade("extra@all", "boom");

    RunReport report = fake.upRollingBackThePlanOnFailure(planDir);

    // Revision 2 never ran: the release goes back to revision 1, the one that was deployed.
    assertThat(line(report, "base@all")).isEqualTo("rolled back 2->4: rolled back with the plan");
    assertThat(fake.engine.calls()).contains("rollback base@all to 1");
    assertThat(fake.engine.values("base@all")).hasValue("level: info\n");
  }

  @Test
  void anUndoAfterAPendingReleaseWasUninstalledAndInstalledAfreshUninstallsIt() {
    Path planDir =
        fake.build(
            """
            releases:
              - {name: p, namespace: stuck, chart: ./ok, pending_release_strategy: uninstall}
            """);
    fake.up(planDir);
    fake.engine.stayPending("p@stuck");
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true));
    fake.engine.heal("p@stuck").failUpgrade("p@stuck", "boom");
    assertThat(fake.engine.statuses("p@stuck")).containsExactly("1 deployed", "2 pending-upgrade");

    RunReport report = fake.upRollingBackThePlanOnFailure(planDir);

    // Its old revisions went with the uninstall: there is nothing of before the run to go back to.
    assertThat(line(report, "p@stuck"))
        .isEqualTo("rolled back 2->-: boom; rolled back with the plan");
    assertThat(fake.engine.calls()).noneMatch(c -> c.startsWith("rollback"));
    assertThat(fake.engine.statuses("p@stuck")).isEmpty();
  }

  @Test
  void aPendingReleaseThatNeverDeployedIsUninstalledWithItsOwnOptions() {
    Path planDir =
        fake.build(
            """
            releases:
              - {name: p, namespace: stuck, chart: ./ok, disable_hooks: true, pending_release_strategy: rollback}
            """);
    fake.engine.stayPending("p@stuck");
    fake.up(planDir);
    fake.engine.heal("p@stuck");
    assertThat(fake.engine.statuses("p@stuck")).containsExactly("1 pending-install");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "p@stuck")).isEqualTo("deployed 1->1");
    // disable_hooks holds for the uninstall that recovery does, as for every other one.
    assertThat(fake.engine.calls())
        .containsSubsequence(
            "markFailed p@stuck 1", "uninstall p@stuck without hooks", "upgrade p@stuck");
    assertThat(fake.engine.statuses("p@stuck")).containsExactly("1 deployed");
  }
}
