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
    }
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
