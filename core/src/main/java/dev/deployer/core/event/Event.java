package dev.deployer.core.event;

import dev.deployer.core.plan.Problem;

/** Something core reports while it works; the CLI decides how to show it. */
public interface Event {

  /** A problem that does not stop the command, such as a missing optional values file. */
  record Warning(Problem problem) implements Event {}
}
