package dev.deployer.app;

import dev.deployer.core.deploy.ReleaseReport;
import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.plan.GoDuration;
import java.time.Duration;
import java.util.List;

/** The tables printed at the end of {@code up}, {@code down} and {@code rollback}. */
final class Reports {
  private Reports() {}

  /** Prints the report and returns the exit code it means. */
  static int print(picocli.CommandLine.Model.CommandSpec spec, RunReport report) {
    var out = spec.commandLine().getOut();
    if (report.releases().isEmpty()) {
      out.println(report.command() + ": no release selected");
      out.flush();
      return ExitCodes.SUCCESS;
    }
    out.print(table(report));
    // The table shows a reason's first line; a reason of several lines follows in full.
    for (ReleaseReport r : report.releases()) {
      r.reason()
          .filter(reason -> reason.contains("\n"))
          .ifPresent(reason -> out.println(r.release() + ": " + reason));
    }
    for (ReleaseReport r : report.releases()) {
      r.renderDrift()
          .ifPresent(
              d -> {
                out.println();
                out.println(r.release() + ": " + d.stripTrailing());
              });
    }
    if (!report.monitors().isEmpty()) {
      out.println();
      out.print(monitorTable(report));
    }
    long failed = report.releases().stream().filter(r -> !r.outcome().ok()).count();
    if (!report.lockedOut().isEmpty()) {
      var err = spec.commandLine().getErr();
      err.println(Console.error(spec.commandLine()) + "another run holds the lock of:");
      report.lockedOut().forEach(l -> err.println("  " + l));
      out.flush();
      return ExitCodes.of(report.verdict());
    }
    long monitorsFailed = report.monitors().stream().filter(m -> m.failed()).count();
    long monitorsErred = report.monitors().stream().filter(m -> m.error()).count();
    out.printf(
        "%s: %d %s, %d not done%s%s%n",
        report.command(),
        report.releases().size(),
        report.releases().size() == 1 ? "release" : "releases",
        failed,
        report.monitors().isEmpty()
            ? ""
            : ", "
                + report.monitors().size()
                + (report.monitors().size() == 1 ? " monitor" : " monitors")
                + ", "
                + monitorsFailed
                + " failed"
                + (monitorsErred == 0
                    ? ""
                    : ", " + monitorsErred + (monitorsErred == 1 ? " error" : " errors")),
        report.cancelled() ? " (interrupted)" : "");
    out.flush();
    return ExitCodes.of(report.verdict());
  }

  static String monitorTable(RunReport report) {
    Object[][] rows =
        report.monitors().stream()
            .map(
                m ->
                    new Object[] {
                      m.monitor(),
                      m.outcome().word(),
                      m.probes(),
                      m.failures(),
                      m.errors(),
                      m.lastResult(),
                      m.action(),
                      m.reason()
                    })
            .toArray(Object[][]::new);
    return Tables.render(
        new String[] {
          "MONITOR", "OUTCOME", "PROBES", "FAILED", "ERRORS", "LAST RESULT", "ACTION", "REASON"
        },
        rows);
  }

  static String table(RunReport report) {
    List<ReleaseReport> lines = report.releases();
    Object[][] rows = new Object[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      ReleaseReport r = lines.get(i);
      rows[i] =
          new Object[] {
            r.release(),
            r.outcome().word(),
            r.revisionBefore().map(String::valueOf).orElse("-")
                + " -> "
                + r.revisionAfter().map(String::valueOf).orElse("-"),
            r.duration().isZero() ? "-" : GoDuration.format(round(r.duration())),
            r.reason().orElse("")
          };
    }
    return Tables.render(
        new String[] {"RELEASE", "OUTCOME", "REVISION", "DURATION", "REASON"}, rows);
  }

  private static Duration round(Duration d) {
    return d.toMillis() >= 1000
        ? Duration.ofMillis(d.toMillis() / 100 * 100)
        : Duration.ofMillis(Math.max(1, d.toMillis()));
  }
}
