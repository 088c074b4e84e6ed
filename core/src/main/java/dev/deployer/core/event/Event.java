package dev.deployer.core.event;

import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Problem;
import java.time.Duration;
import java.util.Optional;

/** Something core reports while it works; the CLI decides how to show it. */
public interface Event {

  /** A problem that does not stop the command, such as a missing optional values file. */
  record Warning(Problem problem) implements Event {}

  /** A lifecycle command starts; {@code release} is empty for the plan's own hooks. */
  record HookStarted(String phase, String release, String commandLine) implements Event {}

  /** One line a lifecycle command printed, for hooks with {@code show: true}. */
  record HookOutput(String release, String line) implements Event {}

  /** A remote chart was downloaded and pinned. */
  record ChartFetched(String release, String chart, String version, String digest)
      implements Event {}

  /** A release's manifest was rendered. */
  record ReleaseRendered(String release, int resources, Duration took) implements Event {}

  /** A release could not be built; the others go on. */
  record ReleaseFailed(String release, String reason) implements Event {}

  /**
   * A release's task, such as its Helm upgrade, starts.
   *
   * @param timeout the release's {@code timeout}: how long Helm may wait for it, for progress shown
   *     against it
   */
  record ReleaseStarted(String release, Duration timeout) implements Event {}

  /** While Helm waits for a release: the resource it waits for and its status. */
  record ReleaseWaiting(String release, String waitingFor) implements Event {}

  /**
   * A release's part in a run ended: {@code outcome} is {@code deployed}, {@code unchanged}, {@code
   * failed}, {@code skipped} or {@code cancelled}; {@code took} is zero for a release that did not
   * run.
   */
  record ReleaseFinished(String release, Outcome outcome, Duration took, Optional<String> reason)
      implements Event {}

  /** A monitor's first probe is about to run. */
  record MonitorStarted(String monitor) implements Event {}

  /**
   * One probe of a monitor ended: it answered, threw, or ran past {@code iteration_timeout}.
   *
   * @param success the backend answered, and the answer was good
   * @param consecutive how many probes in a row ended like this one, this one included
   * @param threshold the threshold of that kind: {@code success_threshold} after a success, {@code
   *     failure_threshold} after a failure (or an error counted as one), the error threshold after
   *     an error
   * @param took from the probe's start to its end
   * @param error the probe could not reach its backend (neither a success nor a failure, unless the
   *     monitor's {@code on_error} is {@code fail})
   */
  record ProbeFinished(
      String monitor,
      int number,
      boolean success,
      String detail,
      int consecutive,
      int threshold,
      Duration took,
      boolean error)
      implements Event {
    /** The streak as users see it: {@code streak 2/5}. */
    public String streak() {
      return "streak " + consecutive + "/" + threshold;
    }

    /** {@code ok}, {@code failed} or {@code error}. */
    public String result() {
      return success ? "ok" : error ? "error" : "failed";
    }
  }

  /** A probe was due while the previous one still ran; it was skipped, not queued. */
  record ProbeSkipped(String monitor, String reason) implements Event {}

  /**
   * A monitor ended: {@code outcome} is {@code passed}, {@code failed}, {@code error} or {@code
   * cancelled}.
   *
   * @param probes how many probes ended
   */
  record MonitorFinished(
      String monitor, MonitorOutcome outcome, String reason, int probes, Duration took)
      implements Event {}

  /**
   * A failed monitor's action starts on a release of the run; actions run once every monitor has
   * ended, dependents first.
   *
   * @param action {@code rollback} or {@code uninstall}
   * @param reason why the release is acted on: the monitors that failed ({@code monitor health
   *     failed}), or the {@code --rollback-scope} that reached it
   */
  record MonitorActionStarted(String release, String action, String reason) implements Event {}

  /**
   * A monitor's action on a release ended: {@code outcome} is {@code rolled back}, {@code
   * uninstalled}, {@code left alone} (the live revision is not the one this run wrote, or this run
   * did not change the release) or {@code failed}.
   *
   * @param revision the revision the rollback wrote; empty for an uninstall, or when none was
   *     written
   * @param reason why it was left alone or failed; empty when it was done as asked
   */
  record MonitorActionFinished(
      String release,
      String action,
      Outcome outcome,
      Optional<Integer> revision,
      Duration took,
      Optional<String> reason)
      implements Event {}
}
