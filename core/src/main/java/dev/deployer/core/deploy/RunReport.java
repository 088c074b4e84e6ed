package dev.deployer.core.deploy;

import java.util.List;

/**
 * The result of {@code up}, {@code down} or {@code rollback}: every selected release and what
 * happened to it.
 *
 * @param monitors the monitors of the run, for {@code up}
 * @param lockedOut the releases another run held the lock of, with its holder
 */
public record RunReport(
    String command,
    List<ReleaseReport> releases,
    boolean succeeded,
    boolean cancelled,
    List<String> lockedOut,
    List<MonitorReport> monitors) {
  public RunReport {
    releases = List.copyOf(releases);
    lockedOut = List.copyOf(lockedOut);
    monitors = List.copyOf(monitors);
  }
}
