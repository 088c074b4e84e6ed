package dev.deployer.core.outcome;

import java.util.Locale;

/** How a monitor ended. */
public enum MonitorOutcome {
  /** {@code success_threshold} consecutive probes succeeded. */
  PASSED,
  /** {@code failure_threshold} consecutive probes failed, or {@code total_timeout} came first. */
  FAILED,
  /**
   * The probes could not reach their backend: {@code failure_threshold} consecutive errors, or
   * {@code total_timeout} came first after errors and no failure. Never triggers an action.
   */
  ERROR,
  /** The run was cancelled, or the runner closed, before a threshold was reached. */
  CANCELLED,
  /** Never started: a release it watches did not deploy, or the run ended first. */
  NOT_RUN;

  /**
   * The word users see: {@code passed}, {@code failed}, {@code error}, {@code cancelled}, {@code
   * not run}.
   */
  @com.fasterxml.jackson.annotation.JsonValue
  public String word() {
    return name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String toString() {
    return word();
  }
}
