package dev.deployer.core.deploy;

import static dev.deployer.core.fake.FakeDeploy.line;
import static dev.deployer.core.fake.FakeDeploy.monitorLines;
import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.event.Event;
import dev.deployer.core.fake.FakeDeploy;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.monitor.ProbeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a failed monitor does to its releases: its action (rollback, uninstall, none), the safest
 * when monitors disagree, how far {@code --rollback-scope} reaches, and what is left alone. Probes
 * answer at once ({@link dev.deployer.core.fake.FakeProbes}), so no interval is waited.
 */
class MonitorActionPolicyTest {
  /** Monitors that end on their first probe; their type and URL are never used. */
  static final String MONITORS =
      """
      monitors:
        - {name: health, type: http, interval: 10ms, success_threshold: 1, failure_threshold: 1, http: {url: 'http://fake/health'}}
        - {name: one, type: http, interval: 10ms, success_threshold: 1, failure_threshold: 1, http: {url: 'http://fake/one'}}
        - {name: two, type: http, interval: 10ms, success_threshold: 1, failure_threshold: 1, http: {url: 'http://fake/two'}}
        - {name: three, type: http, interval: 10ms, success_threshold: 1, failure_threshold: 1, http: {url: 'http://fake/three'}}
      """;

  @TempDir Path dir;
  FakeDeploy fake;

  @BeforeEach
  void setUp() {
    fake = new FakeDeploy(dir);
  }

  /**
   * Builds the plan and deploys it once, its monitors passing: the next {@link #upAgain} writes a
   * new revision of every release, as a change would.
   */
  Path deployedOnce(String releases) {
    Path planDir = fake.build(MONITORS + releases);
    RunReport first = fake.up(planDir);
    assertThat(first.succeeded()).isTrue();
    return planDir;
  }

  RunReport upAgain(Path planDir, RollbackScope scope) {
    UpRequest r = FakeDeploy.request(planDir);
    return fake.up(
        new UpRequest(
                planDir, r.selection(), r.parallelLimit(), false, false, scope, r.lockTimeout())
            .withForceUpgrade(true));
  }

  @Test
  void eachFailedMonitorTakesItsOwnActionOnTheReleasesThatReferenceIt() {
    Path planDir =
        deployedOnce(
            """
            .o: &o {namespace: act, chart: ./ok}
            releases:
              - {<<: *o, name: back, monitors: [{name: one, action: rollback}]}
              - {<<: *o, name: gone, monitors: [{name: two, action: uninstall}]}
              - {<<: *o, name: kept, monitors: [{name: three, action: none}]}
              - {<<: *o, name: fine, monitors: [{name: health, action: rollback}]}
            """);
    fake.probes.fail("one", "HTTP 500").fail("two", "HTTP 500").fail("three", "HTTP 500");
    fake.events.clear();

    RunReport report = upAgain(planDir, RollbackScope.RELEASE);

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "back@act")).isEqualTo("rolled back 1->3: monitor one failed");
    assertThat(fake.engine.statuses("back@act"))
        .containsExactly("1 superseded", "2 superseded", "3 deployed");
    assertThat(line(report, "gone@act")).isEqualTo("uninstalled 1->-: monitor two failed");
    assertThat(fake.engine.statuses("gone@act")).isEmpty();
    assertThat(line(report, "kept@act")).isEqualTo("deployed 1->2");
    assertThat(line(report, "fine@act")).isEqualTo("deployed 1->2");
    assertThat(monitorLines(report))
        .containsExactlyInAnyOrder(
            "one failed rolled back back@act",
            "two failed uninstalled gone@act",
            "three failed none",
            "health passed none");
    // What up was asked for is not what a release a monitor took back ended as.
    assertThat(report.releases())
        .extracting(r -> r.release() + " ok=" + r.ok())
        .containsExactlyInAnyOrder(
            "back@act ok=false", "gone@act ok=false", "kept@act ok=true", "fine@act ok=true");
    // Each action is told as it starts and as it ends, once every monitor has ended.
    List<String> told =
        fake.events.stream()
            .map(
                e ->
                    e instanceof Event.MonitorFinished m
                        ? "monitor " + m.monitor()
                        : e instanceof Event.MonitorActionStarted a
                            ? a.action() + " " + a.release() + ": " + a.reason()
                            : e instanceof Event.MonitorActionFinished a
                                ? "-> " + a.outcome() + a.revision().map(r -> " " + r).orElse("")
                                : "")
            .filter(t -> !t.isEmpty())
            .toList();
    assertThat(told.subList(0, 4))
        .containsExactlyInAnyOrder("monitor one", "monitor two", "monitor three", "monitor health");
    assertThat(List.of(told.get(4) + " " + told.get(5), told.get(6) + " " + told.get(7)))
        .containsExactlyInAnyOrder(
            "rollback back@act: monitor one failed -> rolled back 3",
            "uninstall gone@act: monitor two failed -> uninstalled");
    assertThat(told).hasSize(8);
  }

  @Test
  void aRollbackOfAReleaseThisRunInstalledUninstallsIt() {
    Path planDir =
        fake.build(
            MONITORS
                + "releases: [{name: new, namespace: act, chart: ./ok, monitors: [{name: health,"
                + " action: rollback}]}]\n");
    fake.probes.fail("health", "HTTP 503");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "new@act")).isEqualTo("rolled back -->-: monitor health failed");
    assertThat(fake.engine.statuses("new@act")).isEmpty();
  }

  @Test
  void conflictingActionsResolveToTheSafestWithAWarning() {
    Path planDir =
        fake.build(
            MONITORS
                + """
                .o: &o {namespace: conflict, chart: ./ok}
                releases:
                  - {<<: *o, name: fresh, monitors: [{name: one, action: none}, {name: two, action: uninstall}]}
                  - {<<: *o, name: kept, monitors: [{name: three, action: none}]}
                """);
    fake.probes
        .fail("one", "HTTP 404")
        .fail("two", "HTTP 404")
        .error("three", "connection refused");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "fresh@conflict"))
        .isEqualTo("uninstalled -->-: monitor one failed, two failed");
    assertThat(fake.engine.statuses("fresh@conflict")).isEmpty();
    // A monitor that cannot reach its backend takes no action.
    assertThat(line(report, "kept@conflict")).isEqualTo("deployed -->1");
    assertThat(monitorLines(report))
        .containsExactly(
            "one failed uninstalled fresh@conflict",
            "two failed uninstalled fresh@conflict",
            "three error none");
    assertThat(fake.warnings())
        .contains(
            "fresh@conflict: failed monitors ask for [uninstall, none]; doing the safest,"
                + " uninstall");
  }

  static final String SCOPED =
      """
      .o: &o {namespace: scope, chart: ./ok}
      releases:
        - {<<: *o, name: api, monitors: [{name: health, action: rollback}]}
        - {<<: *o, name: web, depends_on: [api]}
        - {<<: *o, name: other}
      """;

  @Test
  void scopeReleaseRollsBackOnlyTheReleasesOfTheMonitor() {
    Path planDir = deployedOnce(SCOPED);
    fake.probes.fail("health", "HTTP 500");

    RunReport report = upAgain(planDir, RollbackScope.RELEASE);

    assertThat(line(report, "api@scope")).isEqualTo("rolled back 1->3: monitor health failed");
    assertThat(line(report, "web@scope")).isEqualTo("deployed 1->2");
    assertThat(line(report, "other@scope")).isEqualTo("deployed 1->2");
  }

  @Test
  void scopeDependentsAlsoRollsBackWhatDependsOnThemDependentsFirst() {
    Path planDir = deployedOnce(SCOPED);
    fake.probes.fail("health", "HTTP 500");

    RunReport report = upAgain(planDir, RollbackScope.DEPENDENTS);

    assertThat(line(report, "api@scope")).isEqualTo("rolled back 1->3: monitor health failed");
    assertThat(line(report, "web@scope"))
        .isEqualTo("rolled back 1->3: depends on api@scope, rolled back");
    assertThat(line(report, "other@scope")).isEqualTo("deployed 1->2");
    assertThat(fake.engine.calls())
        .containsSubsequence("rollback web@scope to 1", "rollback api@scope to 1");
    assertThat(report.monitors().get(0).action()).isEqualTo("rolled back api@scope");
  }

  @Test
  void scopePlanRollsBackEverythingTheRunChanged() {
    Path planDir = fake.build(MONITORS + SCOPED + "  - {<<: *o, name: added}\n");
    // The first run has no "added": it is installed by the run that fails.
    fake.up(
        new UpRequest(
            planDir,
            new Selection(List.of(), false, false, List.of("api", "web", "other")),
            1,
            false,
            false,
            RollbackScope.PLAN,
            Duration.ofMillis(100)));
    fake.probes.fail("health", "HTTP 500");

    RunReport report = upAgain(planDir, RollbackScope.PLAN);

    assertThat(line(report, "api@scope")).isEqualTo("rolled back 1->3: monitor health failed");
    assertThat(line(report, "web@scope")).isEqualTo("rolled back 1->3: rolled back with the plan");
    assertThat(line(report, "other@scope"))
        .isEqualTo("rolled back 1->3: rolled back with the plan");
    assertThat(line(report, "added@scope"))
        .isEqualTo("rolled back -->-: rolled back with the plan");
    assertThat(fake.engine.statuses("added@scope")).isEmpty();
  }

  @Test
  void aReleaseThisRunDidNotChangeIsLeftAlone() {
    Path planDir =
        deployedOnce(
            "releases: [{name: same, namespace: act, chart: ./ok, monitors: [{name: health,"
                + " action: rollback}]}]\n");
    fake.probes.fail("health", "HTTP 500");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "same@act"))
        .isEqualTo(
            "left alone 1->-: monitor health failed; not rolled back: this run did not change it"
                + " (revision 1 was deployed before)");
    assertThat(report.succeeded()).isFalse();
    assertThat(fake.engine.statuses("same@act")).containsExactly("1 deployed");
    assertThat(fake.engine.calls()).doesNotContain("rollback same@act to 1");
  }

  @Test
  void aRollbackThatFailsIsReportedWithHelmsMessage() {
    Path planDir =
        deployedOnce(
            "releases: [{name: api, namespace: act, chart: ./ok, monitors:"
                + " [{name: health, action: rollback}]}]\n");
    fake.probes.fail("health", "HTTP 500");
    fake.engine.failRollback("api@act", "rollback hook failed");

    RunReport report = upAgain(planDir, RollbackScope.RELEASE);

    assertThat(line(report, "api@act"))
        .isEqualTo("failed 1->2: rollback failed: rollback hook failed");
    // Helm's message is said once, on the release's line.
    assertThat(report.monitors().get(0).action()).isEqualTo("failed api@act");
    assertThat(fake.events)
        .filteredOn(Event.MonitorActionFinished.class::isInstance)
        .extracting(
            e -> {
              var done = (Event.MonitorActionFinished) e;
              return done.release() + " " + done.outcome() + ": " + done.reason().orElse("");
            })
        .containsExactly("api@act failed: rollback failed: rollback hook failed");
    assertThat(fake.engine.statuses("api@act")).containsExactly("1 superseded", "2 deployed");
  }

  @Test
  void aReleaseAnotherClientChangedWhileItsMonitorRanIsLeftAlone() {
    Path planDir =
        deployedOnce(
            "releases: [{name: api, namespace: act, chart: ./ok, monitors: [{name: health,"
                + " action: rollback}]}]\n");
    fake.probes.answer(
        "health",
        () -> {
          // Someone rolls the release back by hand while the monitor watches it.
          fake.engine.rollback(
              RollbackRequest.to(new ReleaseRef("", "act", "api"), 1, Duration.ofMinutes(1)),
              Operation.NONE);
          return ProbeResult.failure("HTTP 500");
        });

    RunReport report = upAgain(planDir, RollbackScope.RELEASE);

    assertThat(line(report, "api@act"))
        .isEqualTo(
            "left alone 1->2: monitor health failed; not undone: the live revision 3 is not the"
                + " one this run wrote (2)");
    assertThat(fake.engine.statuses("api@act"))
        .containsExactly("1 superseded", "2 superseded", "3 deployed");
  }

  @Test
  void aMonitorWhoseReleaseFailedDoesNotRun() {
    Path planDir =
        fake.build(
            MONITORS
                + "releases: [{name: api, namespace: act, chart: ./ok, monitors: [{name: health,"
                + " action: uninstall}]}]\n");
    fake.engine.failUpgrade("api@act", "boom");

    RunReport report = fake.up(planDir);

    assertThat(line(report, "api@act")).isEqualTo("failed -->1: boom");
    assertThat(report.monitors())
        .extracting(m -> m.monitor() + " " + m.outcome() + " " + m.action() + ": " + m.reason())
        .containsExactly("health not run none: not run: api@act failed");
    assertThat(fake.probes.started()).isEmpty();
    assertThat(fake.engine.statuses("api@act")).containsExactly("1 failed");
  }
}
