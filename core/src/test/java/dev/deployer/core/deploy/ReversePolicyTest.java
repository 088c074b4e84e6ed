package dev.deployer.core.deploy;

import static dev.deployer.core.fake.FakeDeploy.line;
import static dev.deployer.core.fake.FakeDeploy.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.fake.FakeDeploy;
import dev.deployer.core.graph.Selection;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of {@code down} and {@code rollback}: dependents first, the selection only, no removal
 * of what an installed release outside it needs, rollback to a revision that deployed. On fakes.
 */
class ReversePolicyTest {
  @TempDir Path dir;
  FakeDeploy fake;
  Path planDir;

  @BeforeEach
  void setUp() {
    fake = new FakeDeploy(dir);
    planDir =
        fake.build(
            """
            .o: &o {namespace: sel, chart: ./ok}
            releases:
              - {<<: *o, name: db, tags: [data]}
              - {<<: *o, name: api, tags: [app], depends_on: [db]}
              - {<<: *o, name: web, tags: [app], depends_on: [api]}
            """);
    fake.up(planDir);
  }

  @Test
  void downUninstallsDependentsFirst() {
    RunReport report = fake.down(planDir, Selection.ALL, false);

    assertThat(report.succeeded()).isTrue();
    assertThat(line(report, "web@sel")).isEqualTo("uninstalled 1->-");
    assertThat(line(report, "api@sel")).isEqualTo("uninstalled 1->-");
    assertThat(line(report, "db@sel")).isEqualTo("uninstalled 1->-");
    assertThat(fake.engine.calls())
        .filteredOn(c -> c.startsWith("uninstall"))
        .containsExactly("uninstall web@sel", "uninstall api@sel", "uninstall db@sel");
    assertThat(fake.engine.statuses("db@sel")).isEmpty();
    assertThat(fake.cluster.heldLocks()).isEmpty();

    RunReport again = fake.down(planDir, Selection.ALL, false);
    assertThat(line(again, "db@sel")).isEqualTo("not installed -->-");
    assertThat(again.succeeded()).isTrue();
  }

  @Test
  void theProgressEventsSayWhatDownAndRollbackDid() {
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true)); // a revision 2 to go back from
    fake.events.clear();
    fake.rollback(planDir, tagged("app"));
    assertThat(finished()).containsExactly("web@sel rolled back", "api@sel rolled back");

    fake.events.clear();
    fake.down(planDir, tagged("app"), false);
    fake.down(planDir, Selection.ALL, false);
    assertThat(finished())
        .containsExactly(
            "web@sel uninstalled",
            "api@sel uninstalled",
            "web@sel not installed",
            "api@sel not installed",
            "db@sel uninstalled");
  }

  /** The releases finished so far as the progress events tell them: release and outcome word. */
  private List<String> finished() {
    return fake.events.stream()
        .filter(Event.ReleaseFinished.class::isInstance)
        .map(e -> (Event.ReleaseFinished) e)
        .map(f -> f.release() + " " + f.outcome().word())
        .toList();
  }

  @Test
  void downRefusesToRemoveWhatAnInstalledReleaseOutsideTheSelectionNeeds() {
    DownRefusedException refused =
        catchThrowableOfType(
            DownRefusedException.class, () -> fake.down(planDir, tagged("data"), false));

    assertThat(refused.getMessage()).contains("db@sel (needed by api@sel)");
    assertThat(fake.engine.calls()).noneMatch(c -> c.startsWith("uninstall"));
    assertThat(fake.engine.statuses("db@sel")).containsExactly("1 deployed");

    RunReport onlyApp = fake.down(planDir, tagged("app"), false);
    assertThat(onlyApp.releases())
        .extracting(ReleaseReport::release)
        .containsExactly("web@sel", "api@sel");
    assertThat(fake.engine.statuses("db@sel")).containsExactly("1 deployed");
    // Once nothing installed needs it, it may go.
    assertThat(line(fake.down(planDir, tagged("data"), false), "db@sel"))
        .isEqualTo("uninstalled 1->-");
  }

  @Test
  void forceRemovesWhatOthersNeed() {
    RunReport forced = fake.down(planDir, tagged("data"), true);

    assertThat(line(forced, "db@sel")).isEqualTo("uninstalled 1->-");
    assertThat(fake.engine.statuses("api@sel")).containsExactly("1 deployed");
  }

  @Test
  void rollbackGoesBackToTheNewestRevisionThatDeployedNeverAFailedOneDependentsFirst() {
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true));
    fake.engine.failUpgrade("api@sel", "boom");
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true));
    assertThat(fake.engine.statuses("api@sel"))
        .containsExactly("1 superseded", "2 deployed", "3 failed");

    RunReport report = fake.rollback(planDir, Selection.ALL);

    assertThat(line(report, "api@sel")).isEqualTo("rolled back 3->4");
    assertThat(fake.engine.statuses("api@sel"))
        .containsExactly("1 superseded", "2 superseded", "3 failed", "4 deployed");
    assertThat(line(report, "web@sel")).isEqualTo("rolled back 2->3");
    assertThat(line(report, "db@sel")).isEqualTo("rolled back 3->4");
    assertThat(fake.engine.calls())
        .filteredOn(c -> c.startsWith("rollback"))
        .containsExactly("rollback web@sel to 1", "rollback api@sel to 2", "rollback db@sel to 2");
  }

  @Test
  void rollbackOfAReleaseWithNothingToGoBackToFailsWithHelmsWordsAndTheRestGoOn() {
    RunReport report = fake.rollback(planDir, Selection.ALL);

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "web@sel"))
        .isEqualTo(
            "failed 1->-: no revision before 1 was deployed successfully: nothing to roll back to");
    assertThat(line(report, "api@sel")).startsWith("skipped -->-: dependent web@sel failed");
  }

  @Test
  void rollbackOfAStuckReleaseToAGivenRevisionRecordsTheStuckOneFailedFirst() {
    fake.engine.stayPending("db@sel");
    fake.up(FakeDeploy.request(planDir).withForceUpgrade(true));
    fake.engine.heal("db@sel");
    assertThat(fake.engine.statuses("db@sel")).containsExactly("1 deployed", "2 pending-upgrade");

    RunReport report =
        fake.deployer.rollback(
            planDir,
            new Selection(List.of(), false, false, List.of("db@sel")),
            Optional.of(1),
            1,
            Duration.ofMillis(100),
            fake.events::add,
            new Cancellation());

    assertThat(line(report, "db@sel")).isEqualTo("rolled back 2->3");
    // Left pending, revision 2 would stay so in Helm's history; failed, it is never a target.
    assertThat(fake.engine.statuses("db@sel"))
        .containsExactly("1 superseded", "2 failed", "3 deployed");
  }
}
