package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.deploy.MonitorReport;
import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.outcome.MonitorOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportsTest {
  @Test
  void theMonitorTableCountsFailedAndErrorProbesInTheirOwnColumns() {
    RunReport report =
        new RunReport(
            "up",
            List.of(),
            false,
            false,
            List.of(),
            List.of(
                new MonitorReport(
                    "error-rate",
                    MonitorOutcome.ERROR,
                    3,
                    0,
                    3,
                    "Prometheus query failed: cannot connect to http://prometheus:9090/",
                    "3 consecutive errors: Prometheus query failed: cannot connect to ...",
                    "none"),
                new MonitorReport(
                    "health",
                    MonitorOutcome.FAILED,
                    4,
                    2,
                    1,
                    "HTTP 404 from GET http://api/health (expected 200)",
                    "2 consecutive failures: HTTP 404 from GET http://api/health (expected 200)",
                    "rolled back api@shop")));

    List<String> lines = Reports.monitorTable(report).lines().map(String::strip).toList();

    assertThat(lines.get(0).split("\\s{2,}"))
        .containsExactly(
            "MONITOR", "OUTCOME", "PROBES", "FAILED", "ERRORS", "LAST RESULT", "ACTION", "REASON");
    assertThat(lines.get(1).split("\\s{2,}"))
        .startsWith("error-rate", "error", "3", "0", "3")
        .contains("none");
    assertThat(lines.get(2).split("\\s{2,}"))
        .startsWith("health", "failed", "4", "2", "1")
        .contains("rolled back api@shop");
  }

  @Test
  void tablesAlignTextLeftAndNumbersRightAndNeverWrapALongReason() {
    String reason =
        "resource Job/sig-down/fail-removal not ready. status: InProgress, message: Job in"
            + " progress; context canceled; Helm left the release uninstalling: run 'deployer down'"
            + " for it again to finish removing it";
    String table =
        Tables.render(
            new String[] {"RELEASE", "OUTCOME", "REVISION", "DURATION", "REASON"},
            new Object[][] {
              {"removal@sig-down", "failed", "1 -> -", "7.2s", reason},
              {"db@shop", "deployed", "- -> 12", "1m12s", "first line\nsecond line"}
            });
    List<String> lines = table.lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).isEqualTo("RELEASE           OUTCOME   REVISION  DURATION  REASON");
    // Text starts at its column; the durations end at theirs.
    assertThat(lines.get(1)).isEqualTo("removal@sig-down  failed    1 -> -        7.2s  " + reason);
    assertThat(lines.get(2))
        .isEqualTo("db@shop           deployed  - -> 12      1m12s  first line");
  }
}
