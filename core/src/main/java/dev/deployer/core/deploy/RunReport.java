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

  /** How a run ended as a whole; the command line turns it into an exit code. */
  public enum Verdict {
    /** Every release and monitor ended as asked. */
    SUCCEEDED,
    /** A release or a monitor failed (or a monitor could not tell). */
    FAILED,
    /** Another run held the lock of a release: nothing was done to it. */
    REFUSED,
    /** A signal or a cancellation ended the run early. */
    INTERRUPTED
  }

  /** The run's verdict: refused before interrupted before failed. */
  public Verdict verdict() {
    if (!lockedOut.isEmpty()) {
      return Verdict.REFUSED;
    }
    if (cancelled) {
      return Verdict.INTERRUPTED;
    }
    return succeeded ? Verdict.SUCCEEDED : Verdict.FAILED;
  }
}
