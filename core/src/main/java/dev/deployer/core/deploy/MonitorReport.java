package dev.deployer.core.deploy;

/**
 * One line of the monitor table at the end of {@code up}.
 *
 * @param outcome passed, failed, cancelled, or not run (a release it watches did not deploy)
 * @param action what was done to its releases: rollback, uninstall, none
 */
public record MonitorReport(
    String monitor, String outcome, int probes, String lastResult, String reason, String action) {

  public boolean failed() {
    return outcome.equals("failed");
  }
}
