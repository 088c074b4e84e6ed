package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.deploy.MonitorReport;
import dev.deployer.core.deploy.ReleaseReport;
import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    List<String> lines =
        Reports.monitorTable(report, Integer.MAX_VALUE).text().lines().map(String::strip).toList();

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

  static ReleaseReport release(String name, Outcome outcome, String reason, boolean undone) {
    return new ReleaseReport(
        name,
        outcome,
        Optional.of(1),
        Optional.of(3),
        Duration.ofSeconds(4),
        Optional.ofNullable(reason),
        Optional.empty(),
        undone);
  }

  @Test
  void aReleaseAMonitorRolledBackIsNotOkAndCountsAsNotDone() {
    RunReport report =
        new RunReport(
            "up",
            List.of(
                release("api@shop", Outcome.ROLLED_BACK, "monitor health failed", true),
                release("db@shop", Outcome.DEPLOYED, null, false)),
            false,
            false,
            List.of(),
            List.of(
                new MonitorReport(
                    "health",
                    MonitorOutcome.FAILED,
                    2,
                    2,
                    0,
                    "HTTP 404",
                    "2 consecutive failures: HTTP 404",
                    "rolled back api@shop")));

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> releases =
        (List<Map<String, Object>>) Reports.document(report, 1).get("releases");
    assertThat(releases)
        .extracting(r -> r.get("release") + " " + r.get("outcome") + " ok=" + r.get("ok"))
        .containsExactly("api@shop rolled back ok=false", "db@shop deployed ok=true");
    assertThat(Reports.text(report, 100))
        .endsWith("up: 2 releases, 1 not done, 1 monitor, 1 failed\n");
    // rollback itself is done when it rolls a release back.
    RunReport rollback =
        new RunReport(
            "rollback",
            List.of(release("api@shop", Outcome.ROLLED_BACK, null, false)),
            true,
            false,
            List.of(),
            List.of());
    assertThat(Reports.text(rollback, 100)).endsWith("rollback: 1 release, 0 not done\n");
  }

  @Test
  void reasonsAreCutToTheWidthInTheTablesAndFollowThemInFullOnce() {
    String helm =
        "resource Deployment/shop/api not ready. status: InProgress, message: Available: 0/1;"
            + " context deadline exceeded; its timeout (5m) ran out while Helm waited for"
            + " Deployment shop/api: InProgress; Deployment/shop/api: 0/1 ready; pod api-7d9 restarted 4"
            + " times";
    String pods =
        "pod shop/web-5f7c9-abcde container web restarted 3 times (last exit code 1,"
            + " CrashLoopBackOff); pod shop/web-5f7c9-fghij container web restarted 2 times";
    RunReport report =
        new RunReport(
            "up",
            List.of(
                release("api@shop", Outcome.FAILED, helm, false),
                release("db@shop", Outcome.DEPLOYED, "first line\nsecond line", false),
                release("web@shop", Outcome.ROLLED_BACK, "monitor pods failed", true)),
            false,
            false,
            List.of(),
            List.of(
                new MonitorReport(
                    "pods",
                    MonitorOutcome.FAILED,
                    3,
                    2,
                    0,
                    pods,
                    "2 consecutive failures: " + pods,
                    "rolled back web@shop")));

    String text = Reports.text(report, 80);
    List<String> lines = text.lines().toList();

    // Every table line fits; the rows keep their columns and say where the text was cut.
    List<String> tables =
        lines.stream()
            .filter(l -> l.matches("(RELEASE|MONITOR|api@shop|db@shop|web@shop|pods) .*"))
            .toList();
    assertThat(tables).hasSize(6).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(80));
    assertThat(lines.get(1)).startsWith("api@shop  failed").endsWith("…");
    assertThat(lines.get(1)).contains("  resource Deployment/shop/api not…");
    assertThat(lines.get(2)).endsWith("first line");
    assertThat(lines.get(3)).endsWith("monitor pods failed");
    // Each whole reason once, below its table; a short one only in its row.
    assertThat(lines.subList(4, 7))
        .containsExactly("api@shop: " + helm, "db@shop: first line", "second line");
    assertThat(text.split(java.util.regex.Pattern.quote(helm), -1)).hasSize(2);
    assertThat(text.split("monitor pods failed", -1)).hasSize(2);
    assertThat(lines.get(9)).startsWith("pods     failed").endsWith("…");
    // The last result is the end of the reason: it is not printed a second time.
    assertThat(lines.subList(10, lines.size()))
        .containsExactly(
            "monitor pods: 2 consecutive failures: " + pods,
            "monitor pods: action: rolled back web@shop",
            "up: 3 releases, 2 not done, 1 monitor, 1 failed");
    assertThat(text.split(java.util.regex.Pattern.quote(pods), -1)).hasSize(2);
  }

  @Test
  void aCutEndsAtAWordWithAnEllipsis() {
    assertThat(Tables.cut("context deadline exceeded; its timeout ran out", 30))
        .isEqualTo("context deadline exceeded…");
    assertThat(Tables.cut("Deployment/shop/a-very-long-name-without-spaces", 20))
        .isEqualTo("Deployment/shop/a-v…")
        .hasSize(20);
  }
}
