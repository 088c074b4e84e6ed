package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.deploy.MonitorReport;
import dev.deployer.core.deploy.RunReport;
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
                    "error",
                    3,
                    0,
                    3,
                    "Prometheus query failed: cannot connect to http://prometheus:9090/",
                    "3 consecutive errors: Prometheus query failed: cannot connect to ...",
                    "none"),
                new MonitorReport(
                    "health",
                    "failed",
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
}
