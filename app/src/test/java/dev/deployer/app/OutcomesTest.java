package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.error.DeployerException;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every outcome's word, mark, colour and JSON level, and every verdict's and failure kind's exit
 * code, as users see them: an outcome, verdict or kind added without its line here fails.
 */
class OutcomesTest {

  /** word, mark, style, level */
  private static final Map<Outcome, String> RELEASES = new EnumMap<>(Outcome.class);

  static {
    RELEASES.put(Outcome.DEPLOYED, "deployed ✓ green info");
    RELEASES.put(Outcome.UNCHANGED, "unchanged ✓ green info");
    RELEASES.put(Outcome.FAILED, "failed ✗ red error");
    RELEASES.put(Outcome.SKIPPED, "skipped - yellow warn");
    RELEASES.put(Outcome.CANCELLED, "cancelled - yellow warn");
    RELEASES.put(Outcome.ROLLED_BACK, "rolled back ✓ green info");
    RELEASES.put(Outcome.UNINSTALLED, "uninstalled ✓ green info");
    RELEASES.put(Outcome.NOT_INSTALLED, "not installed ✓ green info");
    RELEASES.put(Outcome.LEFT_ALONE, "left alone ✗ red error");
    RELEASES.put(Outcome.WOULD_INSTALL, "would install ✓ green info");
    RELEASES.put(Outcome.WOULD_UPGRADE, "would upgrade ✓ green info");
    RELEASES.put(Outcome.WOULD_RESOLVE, "would resolve ✓ green info");
    RELEASES.put(Outcome.WOULD_REFUSE, "would refuse ✗ red error");
    RELEASES.put(Outcome.WOULD_UNINSTALL, "would uninstall ✓ green info");
    RELEASES.put(Outcome.WOULD_ROLL_BACK, "would roll back ✓ green info");
  }

  private static final Map<MonitorOutcome, String> MONITORS =
      Map.of(
          MonitorOutcome.PASSED, "passed ✓ green info",
          MonitorOutcome.FAILED, "failed ✗ red error",
          MonitorOutcome.ERROR, "error ✗ yellow warn",
          MonitorOutcome.CANCELLED, "cancelled ✗ red warn",
          MonitorOutcome.NOT_RUN, "not run ✗ red warn");

  @Test
  void everyReleaseOutcomeHasItsWordMarkColourAndLevel() {
    for (Outcome o : Outcome.values()) {
      Outcomes.Look look = Outcomes.look(o);
      assertThat(Outcomes.word(o) + " " + look.mark() + " " + look.style() + " " + look.level())
          .as(o.name())
          .isEqualTo(RELEASES.get(o));
    }
  }

  @Test
  void everyMonitorOutcomeHasItsWordMarkColourAndLevel() {
    for (MonitorOutcome o : MonitorOutcome.values()) {
      Outcomes.Look look = Outcomes.look(o);
      assertThat(Outcomes.word(o) + " " + look.mark() + " " + look.style() + " " + look.level())
          .as(o.name())
          .isEqualTo(MONITORS.get(o));
    }
  }

  @Test
  void aMonitorActionIsAWarningWhenItWorkedAndAnErrorWhenItDidNot() {
    assertThat(Outcomes.actionLevel(Outcome.ROLLED_BACK)).isEqualTo("warn");
    assertThat(Outcomes.actionLevel(Outcome.UNINSTALLED)).isEqualTo("warn");
    assertThat(Outcomes.actionLevel(Outcome.LEFT_ALONE)).isEqualTo("error");
    assertThat(Outcomes.actionLevel(Outcome.FAILED)).isEqualTo("error");
  }

  @Test
  void quietShowsOnlyWhatFailed() {
    for (Outcome o : Outcome.values()) {
      assertThat(Outcomes.shownWhenQuiet(o))
          .as(o.name())
          .isEqualTo(o == Outcome.FAILED || o == Outcome.LEFT_ALONE || o == Outcome.WOULD_REFUSE);
    }
    for (MonitorOutcome o : MonitorOutcome.values()) {
      assertThat(Outcomes.shownWhenQuiet(o))
          .as(o.name())
          .isEqualTo(o == MonitorOutcome.FAILED || o == MonitorOutcome.ERROR);
    }
  }

  @Test
  void everyVerdictHasItsExitCode() {
    Map<RunReport.Verdict, Integer> expected =
        Map.of(
            RunReport.Verdict.SUCCEEDED, 0,
            RunReport.Verdict.FAILED, 1,
            RunReport.Verdict.INTERRUPTED, 1,
            RunReport.Verdict.REFUSED, 4);
    for (RunReport.Verdict v : RunReport.Verdict.values()) {
      assertThat(Outcomes.exitCode(v)).as(v.name()).isEqualTo(expected.get(v));
    }
  }

  @Test
  void everyFailureKindHasItsExitCodeAndAnythingElseIsInternal() {
    Map<DeployerException.Kind, Integer> expected =
        Map.of(
            DeployerException.Kind.INVALID_INPUT, 2,
            DeployerException.Kind.FAILED, 1,
            DeployerException.Kind.REFUSED, 4,
            DeployerException.Kind.UNREACHABLE, 5);
    for (DeployerException.Kind k : DeployerException.Kind.values()) {
      assertThat(Outcomes.exitCode(k)).as(k.name()).isEqualTo(expected.get(k));
    }
    assertThat(Outcomes.exitCode(new IllegalStateException("a bug"))).isEqualTo(70);
  }

  @Test
  void theLineThatEndsACommandIsNamedByItsExitCode() {
    assertThat(Outcomes.endEvent(4)).isEqualTo("refused");
    assertThat(Outcomes.endEvent(130)).isEqualTo("interrupted");
    assertThat(Outcomes.endEvent(143)).isEqualTo("interrupted");
    assertThat(Outcomes.endEvent(1)).isEqualTo("error");
    assertThat(Outcomes.endEvent(2)).isEqualTo("error");
  }

  @Test
  void lintDiffAndMonitorExitAsTheirResultsSay() {
    assertThat(Outcomes.lintExitCode(0, 3, false)).isZero();
    assertThat(Outcomes.lintExitCode(0, 3, true)).isEqualTo(1);
    assertThat(Outcomes.lintExitCode(1, 0, false)).isEqualTo(1);
    assertThat(Outcomes.diffExitCode(false, true)).isZero();
    assertThat(Outcomes.diffExitCode(true, true)).isEqualTo(3);
    assertThat(Outcomes.diffExitCode(true, false)).isZero();
    assertThat(Outcomes.monitorExitCode(true)).isZero();
    assertThat(Outcomes.monitorExitCode(false)).isEqualTo(1);
  }
}
