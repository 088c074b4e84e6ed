package dev.deployer.core.deploy;

import dev.deployer.core.outcome.MonitorOutcome;

/**
 * One line of the monitor table at the end of {@code up}.
 *
 * @param outcome passed, failed, error (its probes could not reach their backend; no action is
 *     taken), cancelled, or not run (a release it watches did not deploy)
 * @param probes how many probes ended
 * @param failures how many of them failed
 * @param errors how many of them could not reach their backend
 * @param action what was done to its releases: rollback, uninstall, none
 */
public record MonitorReport(
    String monitor,
    MonitorOutcome outcome,
    int probes,
    int failures,
    int errors,
    String lastResult,
    String reason,
    String action) {

  /** Only a failed monitor triggers its action. */
  public boolean failed() {
    return outcome == MonitorOutcome.FAILED;
  }

  /** Its probes could not tell whether the release is healthy; the run does not succeed. */
  public boolean error() {
    return outcome == MonitorOutcome.ERROR;
  }
}
