package dev.deployer.app;

import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Shows core's events in the terminal. */
final class Console implements EventListener {
  private final PrintWriter err;
  private final boolean color;

  Console(PrintWriter err, boolean color) {
    this.err = err;
    this.color = color;
  }

  static Console of(CommandLine.Model.CommandSpec spec, OutputOptions output) {
    return new Console(spec.commandLine().getErr(), output.color());
  }

  @Override
  public synchronized void on(Event event) {
    if (event instanceof Event.Warning w) {
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
    } else if (event instanceof Event.ReleaseStarted r) {
      err.println(paint("start ", "cyan") + r.release());
    } else if (event instanceof Event.ReleaseFinished r) {
      String style =
          r.outcome().equals("deployed") || r.outcome().equals("unchanged") ? "green" : "red";
      err.println(
          paint(r.outcome() + " ", style) + r.release() + r.reason().map(x -> ": " + x).orElse(""));
    } else if (event instanceof Event.MonitorStarted m) {
      err.println(paint("monitor ", "cyan") + m.monitor() + ": started");
    } else if (event instanceof Event.ProbeFinished p) {
      err.println(
          paint("monitor ", "cyan")
              + p.monitor()
              + ": probe "
              + p.number()
              + " "
              + paint(p.success() ? "ok" : "failed", p.success() ? "green" : "red")
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
              + paint(m.outcome(), m.outcome().equals("passed") ? "green" : "red")
              + " after "
              + m.probes()
              + (m.probes() == 1 ? " probe" : " probes")
              + (m.reason().isEmpty() ? "" : ": " + m.reason()));
    } else if (event instanceof Event.ReleaseFailed f) {
      err.println(paint("failed ", "red") + f.release() + ": " + f.reason());
    }
  }

  /** Colours a unified diff's added and removed lines when colour is on. */
  String colorDiff(String diff) {
    if (!color) {
      return diff;
    }
    StringBuilder sb = new StringBuilder();
    for (String line : diff.split("\n", -1)) {
      if (line.startsWith("+") && !line.startsWith("+++")) {
        sb.append(paint(line, "green"));
      } else if (line.startsWith("-") && !line.startsWith("---")) {
        sb.append(paint(line, "red"));
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

  static String error(CommandLine cli) {
    return cli.getColorScheme().ansi().enabled()
        ? CommandLine.Help.Ansi.ON.string("@|red error:|@ ")
        : "error: ";
  }
}
