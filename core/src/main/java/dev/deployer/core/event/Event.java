package dev.deployer.core.event;

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

  /** A release's task, such as its Helm upgrade, starts. */
  record ReleaseStarted(String release) implements Event {}

  /**
   * A release's part in a run ended: {@code outcome} is {@code deployed}, {@code unchanged}, {@code
   * failed}, {@code skipped} or {@code cancelled}; {@code took} is zero for a release that did not
   * run.
   */
  record ReleaseFinished(String release, String outcome, Duration took, Optional<String> reason)
      implements Event {}
}
