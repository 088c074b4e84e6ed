package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.event.Event;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The tty block as it is drawn: what runs in place at the bottom, what ended above it. */
class ProgressViewTest {
  final StringWriter screen = new StringWriter();
  final AtomicLong now = new AtomicLong();

  ProgressView view(ProgressView.Mode mode, int width) {
    return new ProgressView(mode, new PrintWriter(screen), false, width, now::get);
  }

  void seconds(long s) {
    now.addAndGet(Duration.ofSeconds(s).toNanos());
  }

  @Test
  void theBlockHasALinePerRunningReleaseWithWhatItWaitsForAndItsTimeAgainstItsTimeout() {
    ProgressView view = view(ProgressView.Mode.tty, 120);
    assertThat(view.take(new Event.ReleaseStarted("api@shop", Duration.ofMinutes(5)))).isTrue();
    assertThat(view.take(new Event.ReleaseStarted("migrate@shop", Duration.ofSeconds(90))))
        .isTrue();
    seconds(12);
    view.take(new Event.ReleaseWaiting("api@shop", "Deployment shop/api: InProgress"));
    view.take(new Event.ReleaseWaiting("migrate@shop", "Job shop/migrate: InProgress"));

    assertThat(view.frame(now.get()))
        .containsExactly(
            "  api@shop  12s / 5m  Deployment shop/api not ready",
            "  migrate@shop  12s / 1m30s  Job shop/migrate running");
  }

  @Test
  void aFinishedReleaseLeavesAPermanentLineAboveTheBlock() {
    ProgressView view = view(ProgressView.Mode.tty, 120);
    view.take(new Event.ReleaseStarted("api@shop", Duration.ofMinutes(5)));
    view.take(new Event.ReleaseStarted("web@shop", Duration.ofMinutes(5)));
    view.take(new Event.ReleaseWaiting("web@shop", "Service shop/web: InProgress"));
    // Some other line, such as a warning, is drawn: the block follows it.
    view.lines().println("warning: something");
    assertThat(screen.toString())
        .isEqualTo(
            "warning: something\n  api@shop  0s / 5m  starting\n  web@shop  0s / 5m  Service shop/web no address yet\n");
    seconds(14);
    view.take(
        new Event.ReleaseFinished(
            "api@shop", Outcome.DEPLOYED, Duration.ofMillis(14_200), Optional.empty()));

    // The two block lines are erased (two rows up, erase below), the permanent line printed, and
    // the block redrawn with the release still running.
    assertThat(screen.toString())
        .endsWith(
            "\033[2A\r\033[J✓ api@shop deployed 14s\n  web@shop  14s / 5m  Service shop/web no address yet\n");
    assertThat(view.frame(now.get()))
        .containsExactly("  web@shop  14s / 5m  Service shop/web no address yet");

    view.take(
        new Event.ReleaseFinished(
            "web@shop",
            Outcome.FAILED,
            Duration.ofMinutes(5),
            Optional.of("timed out\nmore detail")));
    assertThat(screen.toString()).endsWith("\033[1A\r\033[J✗ web@shop failed 5m: timed out\n");
    assertThat(view.frame(now.get())).isEmpty();
    view.close();
  }

  @Test
  void monitorsShowTheirLastProbeWithItsStreak() {
    ProgressView view = view(ProgressView.Mode.tty, 120);
    view.take(new Event.MonitorStarted("error-rate"));
    assertThat(view.frame(now.get())).containsExactly("  monitor error-rate  0s  started");
    seconds(20);
    view.take(
        new Event.ProbeFinished(
            "error-rate", 3, true, "0 series", 2, 3, Duration.ofMillis(40), false));
    assertThat(view.frame(now.get()))
        .containsExactly("  monitor error-rate  20s  probe 3 ok (streak 2/3 to pass): 0 series");
    view.take(
        new Event.ProbeFinished(
            "error-rate", 4, false, "2 series", 1, 2, Duration.ofMillis(40), false));
    assertThat(view.frame(now.get()))
        .containsExactly(
            "  monitor error-rate  20s  probe 4 failed (streak 1/2 to fail): 2 series");
    view.take(
        new Event.MonitorFinished(
            "error-rate", MonitorOutcome.PASSED, "", 5, Duration.ofSeconds(20)));
    assertThat(screen.toString()).endsWith("✓ monitor error-rate passed after 5 probes\n");
    assertThat(view.frame(now.get())).isEmpty();
  }

  @Test
  void aMonitorActionRunsInTheBlockAndLeavesALineSayingHowItEnded() {
    ProgressView view = view(ProgressView.Mode.tty, 120);
    assertThat(
            view.take(
                new Event.MonitorActionStarted("api@shop", "rollback", "monitor health failed")))
        .isTrue();
    seconds(2);
    assertThat(view.frame(now.get()))
        .containsExactly("  rollback api@shop  2s  monitor health failed");
    view.take(
        new Event.MonitorActionFinished(
            "api@shop",
            "rollback",
            Outcome.ROLLED_BACK,
            Optional.of(3),
            Duration.ofMillis(2300),
            Optional.empty()));
    assertThat(screen.toString())
        .isEqualTo("✓ rollback api@shop: rolled back to revision 3 in 2s\n");
    assertThat(view.frame(now.get())).isEmpty();

    view.take(new Event.MonitorActionStarted("web@shop", "uninstall", "monitor pods failed"));
    view.take(
        new Event.MonitorActionFinished(
            "web@shop",
            "uninstall",
            Outcome.FAILED,
            Optional.empty(),
            Duration.ofMillis(400),
            Optional.of("uninstall failed: the API server is gone\nmore detail")));
    assertThat(screen.toString())
        .endsWith(
            "✗ uninstall web@shop: failed in 400ms: uninstall failed: the API server is gone\n");
    assertThat(
            view(ProgressView.Mode.none, 80)
                .take(new Event.MonitorActionStarted("api@shop", "rollback", "x")))
        .isTrue();
  }

  @Test
  void blockLinesAreCutToTheTerminalWidthSoARedrawKnowsItsRows() {
    ProgressView view = view(ProgressView.Mode.tty, 30);
    view.take(
        new Event.ReleaseStarted("a-long-release-name@some-namespace", Duration.ofMinutes(5)));
    assertThat(view.frame(now.get())).singleElement().asString().hasSize(29).endsWith("…");
  }

  @Test
  void closingErasesTheBlock() {
    ProgressView view = view(ProgressView.Mode.tty, 120);
    view.take(new Event.ReleaseStarted("api@shop", Duration.ofMinutes(5)));
    view.lines().println("hook post_up: echo");
    view.close();
    assertThat(screen.toString()).endsWith("  api@shop  0s / 5m  starting\n\033[1A\r\033[J");
  }

  @Test
  void plainModeLeavesTheLinesToTheConsoleAndNoneHidesProgress() {
    ProgressView plain = view(ProgressView.Mode.plain, 80);
    assertThat(plain.take(new Event.ReleaseStarted("api@shop", Duration.ofMinutes(5)))).isFalse();
    seconds(3);
    assertThat(plain.clock("api@shop")).isEqualTo(" (3s / 5m)");
    ProgressView none = view(ProgressView.Mode.none, 80);
    assertThat(none.take(new Event.ReleaseStarted("api@shop", Duration.ofMinutes(5)))).isTrue();
    assertThat(none.take(new Event.ReleaseWaiting("api@shop", "x"))).isTrue();
    assertThat(none.take(new Event.HookOutput("api@shop", "hello"))).isFalse();
    assertThat(screen.toString()).isEmpty();
  }

  @Test
  void waitsReadAsAPersonSaysThem() {
    assertThat(ProgressView.readable("Deployment shop/api: InProgress"))
        .isEqualTo("Deployment shop/api not ready");
    assertThat(ProgressView.readable("Service shop/web: InProgress"))
        .isEqualTo("Service shop/web no address yet");
    assertThat(ProgressView.readable("Job shop/migrate: Failed"))
        .isEqualTo("Job shop/migrate failed");
    assertThat(ProgressView.readable("the lock, held by x: y")).isEqualTo("the lock, held by x: y");
  }
}
