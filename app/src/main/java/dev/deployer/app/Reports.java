package dev.deployer.app;

import dev.deployer.core.deploy.MonitorReport;
import dev.deployer.core.deploy.ReleaseReport;
import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.plan.GoDuration;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** The tables printed at the end of {@code up}, {@code down} and {@code rollback}. */
final class Reports {
  private Reports() {}

  /** {@code -o}: how the report is printed on standard output. */
  enum Format {
    text,
    json
  }

  /** {@code -o text|json}, for {@code up}, {@code down} and {@code rollback}. */
  static final class FormatOption {
    @picocli.CommandLine.Option(
        names = {"-o", "--output"},
        defaultValue = "text",
        paramLabel = "FORMAT",
        description =
            "The final report: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); json is one"
                + " document on standard output.")
    Format format;
  }

  /** Prints the report and returns the exit code it means. */
  static int print(
      picocli.CommandLine.Model.CommandSpec spec, FormatOption format, RunReport report) {
    if (format.format == Format.text) {
      return printText(spec, report);
    }
    int code = Outcomes.exitCode(report);
    Tables.printJson(spec.commandLine().getOut(), document(report, code));
    if (!report.lockedOut().isEmpty()) {
      printLockedOut(spec, report);
    }
    return code;
  }

  /** {@code -o json}: the verdict, then every release and monitor, with the fields of the table. */
  static java.util.Map<String, Object> document(RunReport report, int exitCode) {
    java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
    doc.put("command", report.command());
    doc.put("verdict", Outcomes.verdictWord(report, exitCode));
    doc.put("exit_code", exitCode);
    doc.put("interrupted", report.cancelled());
    List<java.util.Map<String, Object>> releases = new java.util.ArrayList<>();
    for (ReleaseReport r : report.releases()) {
      java.util.Map<String, Object> item = new java.util.LinkedHashMap<>();
      item.put("release", r.release());
      item.put("outcome", Outcomes.word(r.outcome()));
      item.put("ok", r.ok());
      item.put("revision_from", r.revisionBefore().orElse(null));
      item.put("revision_to", r.revisionAfter().orElse(null));
      item.put("duration_seconds", r.duration().toMillis() / 1000.0);
      item.put("reason", r.reason().orElse(null));
      item.put("render_drift", r.renderDrift().orElse(null));
      releases.add(item);
    }
    doc.put("releases", releases);
    List<java.util.Map<String, Object>> monitors = new java.util.ArrayList<>();
    for (var m : report.monitors()) {
      java.util.Map<String, Object> item = new java.util.LinkedHashMap<>();
      item.put("monitor", m.monitor());
      item.put("outcome", Outcomes.word(m.outcome()));
      item.put("probes", m.probes());
      item.put("failed", m.failures());
      item.put("errors", m.errors());
      item.put("last_result", m.lastResult());
      item.put("action", m.action());
      item.put("reason", m.reason());
      monitors.add(item);
    }
    doc.put("monitors", monitors);
    doc.put("locked_out", report.lockedOut());
    return doc;
  }

  /** The refusal on standard error when another run held a lock. */
  private static void printLockedOut(picocli.CommandLine.Model.CommandSpec spec, RunReport report) {
    var err = spec.commandLine().getErr();
    if (JsonLines.wanted(spec.commandLine())) {
      var line = JsonLines.line("error", "refused");
      line.put(
          "message", "another run holds the lock of: " + String.join("; ", report.lockedOut()));
      line.put("exit_code", ExitCodes.REFUSED);
      report.lockedOut().forEach(line.putArray("locked")::add);
      err.println(line.toString());
    } else {
      err.println(Console.error(spec.commandLine()) + "another run holds the lock of:");
      report.lockedOut().forEach(l -> err.println("  " + l));
    }
    err.flush();
  }

  private static int printText(picocli.CommandLine.Model.CommandSpec spec, RunReport report) {
    var out = spec.commandLine().getOut();
    out.print(text(report, Console.reportWidth(spec)));
    out.flush();
    if (!report.lockedOut().isEmpty()) {
      printLockedOut(spec, report);
    }
    return Outcomes.exitCode(report);
  }

  /**
   * The text report: the release table, then in full each reason it shows cut, the render drifts,
   * the monitor table and the reasons it cuts, and a last line that counts what was not done (left
   * out when another run held a lock: the refusal follows on standard error).
   *
   * @param width the columns the tables fit in (see {@link Console#reportWidth})
   */
  static String text(RunReport report, int width) {
    java.io.StringWriter text = new java.io.StringWriter();
    java.io.PrintWriter out = new java.io.PrintWriter(text);
    if (report.releases().isEmpty()) {
      out.println(report.command() + ": no release selected");
      out.flush();
      return text.toString();
    }
    Tables.Fitted releases = table(report, width);
    out.print(releases.text());
    // A reason the table shows cut follows it in full, once.
    for (int i = 0; i < report.releases().size(); i++) {
      ReleaseReport r = report.releases().get(i);
      if (releases.partial(i, REASON)) {
        out.println(r.release() + ": " + r.reason().orElseThrow());
      }
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
      Tables.Fitted monitors = monitorTable(report, width);
      out.print(monitors.text());
      for (int i = 0; i < report.monitors().size(); i++) {
        MonitorReport m = report.monitors().get(i);
        String name = "monitor " + m.monitor() + ": ";
        if (monitors.partial(i, MONITOR_REASON)) {
          out.println(name + m.reason());
        }
        // A failure's reason ends with the last result: that is not said twice.
        if (monitors.partial(i, LAST_RESULT) && !m.reason().contains(m.lastResult())) {
          out.println(name + "last result: " + m.lastResult());
        }
        if (monitors.partial(i, ACTION)) {
          out.println(name + "action: " + m.action());
        }
      }
    }
    if (!report.lockedOut().isEmpty()) {
      out.flush();
      return text.toString();
    }
    long failed = report.releases().stream().filter(r -> !r.ok()).count();
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
    return text.toString();
  }

  /** The columns of the tables whose text may be cut to fit the terminal. */
  static final int REASON = 4;

  static final int LAST_RESULT = 5;
  static final int ACTION = 6;
  static final int MONITOR_REASON = 7;

  static Tables.Fitted monitorTable(RunReport report, int width) {
    Object[][] rows =
        report.monitors().stream()
            .map(
                m ->
                    new Object[] {
                      m.monitor(),
                      Outcomes.word(m.outcome()),
                      m.probes(),
                      m.failures(),
                      m.errors(),
                      m.lastResult(),
                      m.action(),
                      m.reason()
                    })
            .toArray(Object[][]::new);
    return Tables.fit(
        new String[] {
          "MONITOR", "OUTCOME", "PROBES", "FAILED", "ERRORS", "LAST RESULT", "ACTION", "REASON"
        },
        rows,
        width,
        Set.of(LAST_RESULT, ACTION, MONITOR_REASON));
  }

  static Tables.Fitted table(RunReport report, int width) {
    List<ReleaseReport> lines = report.releases();
    Object[][] rows = new Object[lines.size()][];
    for (int i = 0; i < lines.size(); i++) {
      ReleaseReport r = lines.get(i);
      rows[i] =
          new Object[] {
            r.release(),
            Outcomes.word(r.outcome()),
            r.revisionBefore().map(String::valueOf).orElse("-")
                + " -> "
                + r.revisionAfter().map(String::valueOf).orElse("-"),
            r.duration().isZero() ? "-" : GoDuration.format(round(r.duration())),
            r.reason().orElse("")
          };
    }
    return Tables.fit(
        new String[] {"RELEASE", "OUTCOME", "REVISION", "DURATION", "REASON"},
        rows,
        width,
        Set.of(REASON));
  }

  private static Duration round(Duration d) {
    return d.toMillis() >= 1000
        ? Duration.ofMillis(d.toMillis() / 100 * 100)
        : Duration.ofMillis(Math.max(1, d.toMillis()));
  }
}
