package dev.deployer.app;

import dev.deployer.core.event.Event;
import dev.deployer.core.plan.GoDuration;
import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import picocli.CommandLine;

/**
 * What a run is doing while it runs, per {@code --progress}.
 *
 * <ul>
 *   <li>{@code tty}: a block at the bottom of standard error, redrawn in place a few times a
 *       second, one line per running release (what it waits for, elapsed time against its timeout)
 *       and per running monitor (its last probe and streak); a release or monitor that ends leaves
 *       a permanent line above the block. Every other line is printed above the block.
 *   <li>{@code plain}: the console's lines, one per change; while a release waits, the wait is
 *       shown again every {@link #HEARTBEAT} so that a log without a terminal shows it is alive.
 *   <li>{@code none}: no progress lines; warnings and hook output are still shown.
 * </ul>
 */
final class ProgressView implements AutoCloseable {
  enum Mode {
    tty,
    plain,
    none
  }

  /**
   * How often an unchanged wait is shown again in plain mode: 15 s; tests shorten it with the
   * system property {@code deployer.progress.heartbeat-ms}.
   */
  static final Duration HEARTBEAT =
      Duration.ofMillis(Long.getLong("deployer.progress.heartbeat-ms", 15_000));

  /** Time between redraws of the tty block: at most four a second. */
  static final long REDRAW_MILLIS = 250;

  private static final String UP = "\033[%dA";
  private static final String ERASE_BELOW = "\r\033[J";

  /** A running release or monitor, as its line in the block shows it. */
  private static final class Task {
    final String name;
    final long started;
    final Duration timeout;
    final boolean monitor;
    String doing;
    String waitingFor;

    Task(String name, long started, Duration timeout, boolean monitor, String doing) {
      this.name = name;
      this.started = started;
      this.timeout = timeout;
      this.monitor = monitor;
      this.doing = doing;
    }
  }

  private final Mode mode;
  private final PrintWriter terminal;
  private final boolean color;
  private final int width;
  private final LongSupplier nanos;
  private final Map<String, Task> running = new LinkedHashMap<>();
  private final StringBuilder partial = new StringBuilder();
  private List<String> shown = List.of();
  private boolean dirty;
  private boolean closed;
  private ScheduledExecutorService ticker;

  /**
   * @param terminal standard error
   * @param width the terminal's columns: block lines are cut to fit, so that a redraw knows how
   *     many rows to go back
   * @param nanos the clock, {@link System#nanoTime} but in tests
   */
  ProgressView(Mode mode, PrintWriter terminal, boolean color, int width, LongSupplier nanos) {
    this.mode = mode;
    this.terminal = terminal;
    this.color = color;
    this.width = Math.max(20, width);
    this.nanos = nanos;
  }

  /** {@code auto} resolved: a terminal gets the updating block, a log gets lines. */
  static Mode resolve(ProgressOptions.Mode asked, boolean terminal) {
    return switch (asked) {
      case auto -> terminal ? Mode.tty : Mode.plain;
      case tty -> Mode.tty;
      case plain -> Mode.plain;
      case none -> Mode.none;
    };
  }

  Mode mode() {
    return mode;
  }

  /**
   * Starts the redraws (tty) or the heartbeats (plain).
   *
   * @param heartbeat where a wait shown again goes: the console, which shows it when it is due
   */
  ProgressView start(Consumer<Event> heartbeat) {
    if (mode == Mode.none) {
      return this;
    }
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "deployer-progress");
              t.setDaemon(true);
              return t;
            });
    if (mode == Mode.tty) {
      ticker.scheduleAtFixedRate(this::redraw, REDRAW_MILLIS, REDRAW_MILLIS, TimeUnit.MILLISECONDS);
    } else {
      long every = Math.max(50, Math.min(1000, HEARTBEAT.toMillis() / 4));
      ticker.scheduleAtFixedRate(
          () -> waits().forEach(heartbeat), every, every, TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /** The waits of the running releases, to be shown again when their heartbeat is due. */
  private synchronized List<Event> waits() {
    List<Event> waits = new ArrayList<>();
    for (Task t : running.values()) {
      if (!t.monitor && t.waitingFor != null) {
        waits.add(new Event.ReleaseWaiting(t.name, t.waitingFor));
      }
    }
    return waits;
  }

  /**
   * Takes in an event before the console shows it.
   *
   * @return true when the view has shown it (tty) or hides it (none): the console prints nothing
   */
  synchronized boolean take(Event event) {
    long now = nanos.getAsLong();
    boolean progress = track(event, now);
    if (mode == Mode.none) {
      return progress
          || event instanceof Event.ReleaseRendered
          || event instanceof Event.ChartFetched
          || event instanceof Event.ProbeSkipped;
    }
    if (mode != Mode.tty || !progress) {
      return false;
    }
    if (event instanceof Event.ReleaseFinished f) {
      draw(List.of(finished(f)));
    } else if (event instanceof Event.MonitorFinished m) {
      draw(List.of(finished(m)));
    } else if (event instanceof Event.MonitorActionFinished a) {
      draw(
          List.of(
              paint(Outcomes.look(a.outcome()).mark(), Outcomes.look(a.outcome()).style())
                  + " "
                  + actionLine(a, this::paint)));
    } else {
      dirty = true;
    }
    return true;
  }

  /** Updates what is running; true for the events the block shows. */
  private boolean track(Event event, long now) {
    if (event instanceof Event.ReleaseStarted s) {
      running.put(s.release(), new Task(s.release(), now, s.timeout(), false, "starting"));
    } else if (event instanceof Event.ReleaseWaiting w) {
      Task t = running.get(w.release());
      if (t != null) {
        t.waitingFor = w.waitingFor();
        t.doing = readable(w.waitingFor());
      }
    } else if (event instanceof Event.ReleaseFinished f) {
      running.remove(f.release());
    } else if (event instanceof Event.MonitorStarted m) {
      running.put(key(m.monitor()), new Task(m.monitor(), now, null, true, "started"));
    } else if (event instanceof Event.ProbeFinished p) {
      Task t = running.get(key(p.monitor()));
      if (t != null) {
        t.doing = probe(p);
      }
    } else if (event instanceof Event.MonitorFinished m) {
      running.remove(key(m.monitor()));
    } else if (event instanceof Event.MonitorActionStarted a) {
      running.put(
          actionKey(a.release()),
          new Task(a.action() + " " + a.release(), now, null, false, a.reason()));
    } else if (event instanceof Event.MonitorActionFinished a) {
      running.remove(actionKey(a.release()));
    } else if (event instanceof Event.HookStarted h) {
      Task t = running.get(h.release());
      if (t != null) {
        // Helm's wait is over once the release's own hooks run.
        t.waitingFor = null;
        t.doing = "hook " + h.phase();
      }
      return false;
    } else {
      return false;
    }
    return true;
  }

  private static String key(String monitor) {
    return "monitor " + monitor;
  }

  private static String actionKey(String release) {
    return "action " + release;
  }

  /**
   * A monitor action that ended, for a line of its own: {@code rollback api@shop: rolled back to
   * revision 3 in 2s}, {@code rollback api@shop: failed in 1s: <first line of the reason>}.
   *
   * @param paint colours a text in a style, or leaves it as it is
   */
  static String actionLine(
      Event.MonitorActionFinished a, java.util.function.BinaryOperator<String> paint) {
    String style = Outcomes.look(a.outcome()).style();
    return paint.apply(a.action(), style)
        + " "
        + a.release()
        + ": "
        + paint.apply(Outcomes.word(a.outcome()), style)
        + a.revision().map(r -> " to revision " + r).orElse("")
        + " in "
        + GoDuration.format(seconds(a.took()))
        + a.reason().map(r -> ": " + r.lines().findFirst().orElse("")).orElse("");
  }

  /**
   * For plain lines: {@code " (12s / 5m)"}, the release's time so far against its timeout; empty
   * for a release not running.
   */
  synchronized String clock(String release) {
    Task t = running.get(release);
    return t == null ? "" : " (" + elapsed(t, nanos.getAsLong()) + ")";
  }

  private static String elapsed(Task t, long now) {
    String took =
        GoDuration.format(Duration.ofSeconds(Duration.ofNanos(now - t.started).toSeconds()));
    return t.timeout == null || t.timeout.isZero()
        ? took
        : took + " / " + GoDuration.format(t.timeout);
  }

  /**
   * {@code Deployment shop/api: InProgress} as a person reads it: {@code Deployment shop/api not
   * ready}, {@code Job shop/migrate running}, {@code Service shop/web: no address}. Waits of
   * another kind (a lock, a pending release) are shown as they are.
   */
  static String readable(String waitingFor) {
    int colon = waitingFor.lastIndexOf(": ");
    if (colon < 0) {
      return waitingFor;
    }
    String what = waitingFor.substring(0, colon);
    String status = waitingFor.substring(colon + 2);
    String kind = what.contains(" ") ? what.substring(0, what.indexOf(' ')) : "";
    String state =
        switch (status) {
          case "InProgress" ->
              switch (kind) {
                case "Job" -> "running";
                case "Service" -> "no address yet";
                case "PersistentVolumeClaim" -> "not bound yet";
                case "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet" -> "not ready";
                default -> "in progress";
              };
          case "Current" -> "ready";
          case "Failed" -> "failed";
          case "NotFound" -> "not found";
          case "Terminating" -> "terminating";
          case "Unknown" -> "status unknown";
          default -> null;
        };
    return state == null ? waitingFor : what + " " + state;
  }

  /** {@code probe 3 ok (streak 2/3 to pass): 0 series}. */
  static String probe(Event.ProbeFinished p) {
    String goal = p.success() ? "to pass" : p.error() ? "errors to end" : "to fail";
    return "probe "
        + p.number()
        + " "
        + p.result()
        + " (streak "
        + p.consecutive()
        + "/"
        + p.threshold()
        + " "
        + goal
        + ")"
        + (p.detail().isEmpty() ? "" : ": " + p.detail());
  }

  /** The block: one line per running release and monitor, cut to the terminal's width. */
  synchronized List<String> frame(long now) {
    List<String> lines = new ArrayList<>();
    for (Task t : running.values()) {
      // The time comes before what may be cut.
      String line =
          "  " + (t.monitor ? "monitor " : "") + t.name + "  " + elapsed(t, now) + "  " + t.doing;
      line = line.replace('\n', ' ');
      lines.add(line.length() < width ? line : line.substring(0, width - 2) + "…");
    }
    return lines;
  }

  /** {@code ✓ api@shop deployed 14s}, {@code ✗ bad@shop failed 5m: <first line of the reason>}. */
  private String finished(Event.ReleaseFinished f) {
    Outcomes.Look look = Outcomes.look(f.outcome());
    return paint(look.mark(), look.style())
        + " "
        + f.release()
        + " "
        + paint(Outcomes.word(f.outcome()), look.style())
        + (f.took().isZero() ? "" : " " + GoDuration.format(seconds(f.took())))
        + f.reason().map(r -> ": " + r.lines().findFirst().orElse("")).orElse("");
  }

  private String finished(Event.MonitorFinished m) {
    Outcomes.Look look = Outcomes.look(m.outcome());
    return paint(look.mark(), look.style())
        + " monitor "
        + m.monitor()
        + " "
        + paint(Outcomes.word(m.outcome()), look.style())
        + " after "
        + m.probes()
        + (m.probes() == 1 ? " probe" : " probes")
        + (m.reason().isEmpty() ? "" : ": " + m.reason());
  }

  /** A duration to the second, or to the millisecond under one second. */
  private static Duration seconds(Duration d) {
    return d.compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofMillis(d.toMillis())
        : Duration.ofSeconds(d.toSeconds());
  }

  private String paint(String text, String style) {
    return color ? CommandLine.Help.Ansi.ON.string("@|" + style + " " + text + "|@") : text;
  }

  /** The ticker's redraw: only when the block changed (an event, or a second passed). */
  private synchronized void redraw() {
    if (closed) {
      return;
    }
    if (dirty || !frame(nanos.getAsLong()).equals(shown)) {
      draw(List.of());
    }
  }

  /** Erases the block, prints the permanent lines, and draws the block again below them. */
  private void draw(List<String> permanent) {
    StringBuilder sb = new StringBuilder();
    erase(sb);
    permanent.forEach(p -> sb.append(p).append('\n'));
    shown = closed ? List.of() : frame(nanos.getAsLong());
    shown.forEach(line -> sb.append(line).append('\n'));
    dirty = false;
    terminal.print(sb);
    terminal.flush();
  }

  private void erase(StringBuilder sb) {
    if (!shown.isEmpty()) {
      sb.append(String.format(UP, shown.size())).append(ERASE_BELOW);
    }
  }

  /**
   * Where the console's other lines go in tty mode: each complete line is printed above the block.
   */
  PrintWriter lines() {
    return new PrintWriter(
        new Writer() {
          @Override
          public void write(char[] buf, int off, int len) {
            synchronized (ProgressView.this) {
              for (int i = off; i < off + len; i++) {
                char c = buf[i];
                if (c == '\n') {
                  String line = partial.toString();
                  partial.setLength(0);
                  if (closed) {
                    terminal.println(line);
                    terminal.flush();
                  } else {
                    draw(List.of(line));
                  }
                } else if (c != '\r') {
                  partial.append(c);
                }
              }
            }
          }

          @Override
          public void flush() {
            terminal.flush();
          }

          @Override
          public void close() {
            flush();
          }
        },
        true);
  }

  /** Stops the ticker and erases the block, so that the report follows the permanent lines. */
  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      try {
        ticker.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (mode == Mode.tty) {
        StringBuilder sb = new StringBuilder();
        erase(sb);
        shown = List.of();
        if (partial.length() > 0) {
          sb.append(partial).append('\n');
          partial.setLength(0);
        }
        terminal.print(sb);
        terminal.flush();
      }
    }
  }

  /**
   * The terminal's columns: {@code stty size} on {@code /dev/tty}, else {@code COLUMNS}, else 80.
   */
  static int terminalWidth(Map<String, String> environment) {
    try {
      Process stty =
          new ProcessBuilder("stty", "size")
              .redirectInput(new java.io.File("/dev/tty"))
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out =
          new String(stty.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim();
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] rowsColumns = out.split("\\s+");
        int columns = Integer.parseInt(rowsColumns[rowsColumns.length - 1]);
        if (columns > 0) {
          return columns;
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      // No terminal to ask: the environment may say.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      return Integer.parseInt(environment.getOrDefault("COLUMNS", "80").trim());
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
