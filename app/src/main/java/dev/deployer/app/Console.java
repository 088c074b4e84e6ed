package dev.deployer.app;

import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Shows core's events on standard error: lines for a person, or with {@code --log-format json} one
 * JSON object per event, for CI systems and log collectors.
 */
final class Console implements EventListener, AutoCloseable {
  private final PrintWriter err;
  private final boolean color;
  private final boolean colorOnStdout;
  private final boolean json;
  private final ProgressView progress;

  /** With {@code -q}: failures only, no progress, no warnings. */
  private final boolean quiet;

  private Console(
      PrintWriter err,
      boolean color,
      boolean colorOnStdout,
      boolean json,
      boolean quiet,
      ProgressView progress) {
    this.err = err;
    this.color = color && !json;
    this.colorOnStdout = colorOnStdout && !json;
    this.json = json;
    this.quiet = quiet;
    this.progress = progress;
  }

  static Console of(CommandLine.Model.CommandSpec spec) {
    OutputOptions output = OutputOptions.of(spec);
    PrintWriter err = spec.commandLine().getErr();
    java.util.Map<String, String> environment = DeployerCommand.environment(spec);
    return new Console(
        err,
        output.color(environment),
        output.colorOnStdout(environment),
        output.logFormat == OutputOptions.LogFormat.json,
        output.quiet,
        new ProgressView(ProgressView.Mode.plain, err, false, 80, System::nanoTime));
  }

  /** What {@code -q} still shows: a release or monitor that failed. */
  private static boolean isFailure(Event event) {
    return event instanceof Event.ReleaseFailed
        || event instanceof Event.ReleaseFinished r && Outcomes.shownWhenQuiet(r.outcome())
        || event instanceof Event.MonitorFinished m && Outcomes.shownWhenQuiet(m.outcome())
        || event instanceof Event.MonitorActionFinished a && Outcomes.shownWhenQuiet(a.outcome());
  }

  /**
   * A console for a run that shows its progress per {@code --progress} (see {@link ProgressView});
   * close it before the run's report is printed.
   */
  static Console of(CommandLine.Model.CommandSpec spec, ProgressOptions options) {
    OutputOptions output = OutputOptions.of(spec);
    java.util.Map<String, String> environment = DeployerCommand.environment(spec);
    boolean json = output.logFormat == OutputOptions.LogFormat.json;
    // JSON lines are for machines: no block, no timed heartbeat.
    ProgressView.Mode mode =
        json
            ? ProgressView.Mode.none
            : ProgressView.resolve(options.mode, OutputOptions.isTerminal(2));
    PrintWriter err = spec.commandLine().getErr();
    boolean color = output.color(environment);
    ProgressView view =
        new ProgressView(
            mode,
            err,
            color,
            mode == ProgressView.Mode.tty ? ProgressView.terminalWidth(environment) : 80,
            System::nanoTime);
    Console console =
        new Console(
            mode == ProgressView.Mode.tty ? view.lines() : err,
            color,
            output.colorOnStdout(environment),
            json,
            output.quiet,
            view);
    view.start(console::on);
    return console;
  }

  /**
   * The columns a report's tables fit in: the terminal's when standard output is one, else {@code
   * COLUMNS}, else 100, which a CI log shows without wrapping.
   */
  static int reportWidth(CommandLine.Model.CommandSpec spec) {
    java.util.Map<String, String> environment = DeployerCommand.environment(spec);
    if (OutputOptions.isTerminal(1)) {
      return ProgressView.terminalWidth(environment);
    }
    try {
      int columns = Integer.parseInt(environment.getOrDefault("COLUMNS", "").trim());
      return columns > 0 ? columns : REPORT_WIDTH;
    } catch (NumberFormatException e) {
      return REPORT_WIDTH;
    }
  }

  /** A report's width without a terminal or {@code COLUMNS}. */
  static final int REPORT_WIDTH = 100;

  /** Runs a command's work, then takes the progress block away, also when the work fails. */
  <T> T around(java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } finally {
      close();
    }
  }

  @Override
  public void close() {
    progress.close();
  }

  /**
   * {@code {"time":"...","level":"info","event":"release_finished","release":"api@shop",...}}: see
   * {@link JsonLines}.
   */
  private void printJson(Event event) {
    err.println(jsonLine(event).toString());
  }

  /** An event as its JSON line: {@code time}, {@code level}, {@code event}, then its fields. */
  static com.fasterxml.jackson.databind.node.ObjectNode jsonLine(Event event) {
    com.fasterxml.jackson.databind.node.ObjectNode line =
        JsonLines.line(level(event), JsonLines.eventName(event.getClass()));
    com.fasterxml.jackson.databind.node.ObjectNode node = JsonLines.JSON.valueToTree(event);
    node.properties().forEach(f -> line.putIfAbsent(f.getKey(), f.getValue()));
    if (event instanceof Event.Warning w) {
      line.remove("problem");
      line.put("location", w.problem().location().toString());
      line.put("field", w.problem().field());
      line.put("message", w.problem().message());
    }
    return line;
  }

  /** How much an event matters: what failed is an error; what was skipped or erred a warning. */
  static String level(Event event) {
    if (event instanceof Event.Warning || event instanceof Event.ProbeSkipped) {
      return "warn";
    }
    if (event instanceof Event.ReleaseFailed) {
      return "error";
    }
    if (event instanceof Event.ReleaseFinished r) {
      return Outcomes.look(r.outcome()).level();
    }
    if (event instanceof Event.MonitorFinished m) {
      return Outcomes.look(m.outcome()).level();
    }
    if (event instanceof Event.ProbeFinished p) {
      return p.success() ? "info" : "warn";
    }
    if (event instanceof Event.MonitorActionStarted) {
      return "warn";
    }
    if (event instanceof Event.MonitorActionFinished a) {
      return Outcomes.actionLevel(a.outcome());
    }
    return "info";
  }

  private final java.util.Map<String, String> waitingFor = new java.util.HashMap<>();
  private final java.util.Map<String, Long> waitingShown = new java.util.HashMap<>();

  /**
   * Helm reports what it waits for on every status change it sees; a release's wait is shown when
   * what it waits for changes, and again at most every {@link ProgressView#HEARTBEAT} while it does
   * not.
   */
  private boolean worthShowing(Event.ReleaseWaiting w) {
    long now = System.nanoTime();
    boolean changed = !w.waitingFor().equals(waitingFor.put(w.release(), w.waitingFor()));
    Long shown = waitingShown.get(w.release());
    if (changed || shown == null || now - shown >= ProgressView.HEARTBEAT.toNanos()) {
      waitingShown.put(w.release(), now);
      return true;
    }
    return false;
  }

  @Override
  public synchronized void on(Event event) {
    if (quiet && !isFailure(event)) {
      return;
    }
    if (!json && progress.take(event)) {
      return;
    }
    if (event instanceof Event.ReleaseWaiting w && !worthShowing(w)) {
      return;
    }
    if (json) {
      printJson(event);
    } else if (event instanceof Event.Warning w) {
      err.println(paint("warning: ", "yellow") + w.problem());
    } else if (event instanceof Event.HookStarted h) {
      err.println(
          paint("hook ", "cyan")
              + h.phase()
              + (h.release().isEmpty() ? "" : " " + h.release())
              + ": "
              + h.commandLine());
    } else if (event instanceof Event.HookOutput o) {
      err.println("  | " + o.line());
    } else if (event instanceof Event.ChartFetched f) {
      err.println(
          paint("fetched ", "cyan")
              + f.chart()
              + " "
              + f.version()
              + " ("
              + f.digest()
              + ") for "
              + f.release());
    } else if (event instanceof Event.ReleaseRendered r) {
      err.printf(
          "%s%s: %d resources in %d ms%n",
          paint("rendered ", "green"), r.release(), r.resources(), r.took().toMillis());
    } else if (event instanceof Event.ReleaseWaiting w) {
      err.println(
          paint("waiting ", "cyan")
              + w.release()
              + ": "
              + w.waitingFor()
              + progress.clock(w.release()));
    } else if (event instanceof Event.ReleaseStarted r) {
      err.println(paint("start ", "cyan") + r.release());
    } else if (event instanceof Event.ReleaseFinished r) {
      err.println(
          paint(Outcomes.word(r.outcome()) + " ", Outcomes.look(r.outcome()).style())
              + r.release()
              + r.reason().map(x -> ": " + x).orElse(""));
    } else if (event instanceof Event.MonitorStarted m) {
      err.println(paint("monitor ", "cyan") + m.monitor() + ": started");
    } else if (event instanceof Event.ProbeFinished p) {
      err.println(
          paint("monitor ", "cyan")
              + p.monitor()
              + ": probe "
              + p.number()
              + " "
              + paint(p.result(), p.success() ? "green" : p.error() ? "yellow" : "red")
              + " ("
              + p.detail()
              + ") "
              + p.streak());
    } else if (event instanceof Event.ProbeSkipped p) {
      err.println(paint("monitor ", "cyan") + p.monitor() + ": " + p.reason());
    } else if (event instanceof Event.MonitorFinished m) {
      err.println(
          paint("monitor ", "cyan")
              + m.monitor()
              + ": "
              + paint(Outcomes.word(m.outcome()), Outcomes.look(m.outcome()).style())
              + " after "
              + m.probes()
              + (m.probes() == 1 ? " probe" : " probes")
              + (m.reason().isEmpty() ? "" : ": " + m.reason()));
    } else if (event instanceof Event.MonitorActionStarted a) {
      err.println(paint(a.action() + " ", "yellow") + a.release() + ": " + a.reason());
    } else if (event instanceof Event.MonitorActionFinished a) {
      err.println(ProgressView.actionLine(a, this::paint));
    } else if (event instanceof Event.ReleaseFailed f) {
      err.println(paint("failed ", "red") + f.release() + ": " + f.reason());
    }
  }

  /** Colours a unified diff's added and removed lines when standard output takes colour. */
  String colorDiff(String diff) {
    if (!colorOnStdout) {
      return diff;
    }
    StringBuilder sb = new StringBuilder();
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("+") && !line.startsWith("+++")) {
        sb.append(CommandLine.Help.Ansi.ON.string("@|green " + line + "|@"));
      } else if (line.startsWith("-") && !line.startsWith("---")) {
        sb.append(CommandLine.Help.Ansi.ON.string("@|red " + line + "|@"));
      } else {
        sb.append(line);
      }
      sb.append('\n');
    }
    return sb.substring(0, sb.length() - 1);
  }

  private String paint(String text, String style) {
    return color ? CommandLine.Help.Ansi.ON.string("@|" + style + " " + text + "|@") : text;
  }

  /** The {@code error:} that starts a message on standard error, red on a terminal. */
  static String error(CommandLine cli) {
    return cli.getColorScheme().ansi().enabled() && OutputOptions.isTerminal(2)
        ? CommandLine.Help.Ansi.ON.string("@|red error:|@ ")
        : "error: ";
  }
}
