package dev.deployer.app;

import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.error.DeployerException;
import dev.deployer.core.outcome.MonitorOutcome;
import dev.deployer.core.outcome.Outcome;

/**
 * How each outcome is shown and what a command's result exits with, in one place: for every {@link
 * Outcome} and {@link MonitorOutcome} its word, its mark in the progress block, its colour and its
 * {@code --log-format json} level; and the exit code of a run's report, of a failure's kind, of
 * {@code lint}, {@code diff} and {@code monitor}. The console, the progress view, the JSON lines
 * and the reports ask here instead of deciding for themselves. The numbers are {@link ExitCodes}.
 */
final class Outcomes {
  private Outcomes() {}

  /**
   * How an outcome is shown.
   *
   * @param mark what starts its line in the progress block: {@code ✓}, {@code ✗} or {@code -}
   * @param style its colour, as picocli's markup names it
   * @param level its JSON line's level: {@code info}, {@code warn} or {@code error}
   */
  record Look(String mark, String style, String level) {}

  private static final Look DONE = new Look("✓", "green", "info");
  private static final Look BROKE = new Look("✗", "red", "error");
  private static final Look NOT_RUN = new Look("-", "yellow", "warn");

  /** How a release's outcome is shown; a new outcome does not compile until it has a look. */
  static Look look(Outcome outcome) {
    return switch (outcome) {
      case DEPLOYED,
          UNCHANGED,
          ROLLED_BACK,
          UNINSTALLED,
          NOT_INSTALLED,
          WOULD_INSTALL,
          WOULD_UPGRADE,
          WOULD_RESOLVE,
          WOULD_UNINSTALL,
          WOULD_ROLL_BACK ->
          DONE;
      // Left alone is an undo that did not happen: the release stays as the failure left it.
      case FAILED, WOULD_REFUSE, LEFT_ALONE -> BROKE;
      case SKIPPED, CANCELLED -> NOT_RUN;
    };
  }

  /** How a monitor's outcome is shown: an error (nothing learnt) is yellow, not red. */
  static Look look(MonitorOutcome outcome) {
    return switch (outcome) {
      case PASSED -> DONE;
      case FAILED -> BROKE;
      case ERROR -> new Look("✗", "yellow", "warn");
      case CANCELLED, NOT_RUN -> new Look("✗", "red", "warn");
    };
  }

  /** The word users see for a release's outcome ({@code deployed}, {@code would install}, ...). */
  static String word(Outcome outcome) {
    return outcome.word();
  }

  /** The word users see for a monitor's outcome ({@code passed}, {@code not run}, ...). */
  static String word(MonitorOutcome outcome) {
    return outcome.word();
  }

  /**
   * The level of a monitor action's end: a warning when it did what it set out to do (something
   * failed, or there would be no action), an error when it did not.
   */
  static String actionLevel(Outcome outcome) {
    return look(outcome).level().equals("error") ? "error" : "warn";
  }

  /** What {@code -q} still shows: a release or monitor that failed, an action that did not work. */
  static boolean shownWhenQuiet(Outcome outcome) {
    return look(outcome).equals(BROKE);
  }

  /** What {@code -q} still shows of monitors: one that failed, or could not reach its backend. */
  static boolean shownWhenQuiet(MonitorOutcome outcome) {
    return outcome == MonitorOutcome.FAILED || outcome == MonitorOutcome.ERROR;
  }

  /**
   * The exit code a report means: its verdict's, or success when no release was selected; a
   * signal's code wins (see {@link Interrupts#run}).
   */
  static int exitCode(RunReport report) {
    if (Interrupts.signalled() != 0) {
      return Interrupts.signalled();
    }
    return report.releases().isEmpty() ? ExitCodes.SUCCESS : exitCode(report.verdict());
  }

  /** The exit code of a run's verdict; a signal's own code replaces it (see {@link Interrupts}). */
  static int exitCode(RunReport.Verdict verdict) {
    return switch (verdict) {
      case SUCCEEDED -> ExitCodes.SUCCESS;
      case FAILED, INTERRUPTED -> ExitCodes.FAILED;
      case REFUSED -> ExitCodes.REFUSED;
    };
  }

  /** The {@code verdict} of {@code -o json}: its own, or {@code interrupted} after a signal. */
  static String verdictWord(RunReport report, int exitCode) {
    return exitCode > 128
        ? "interrupted"
        : report.verdict().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The exit code of a failure deployer reports to its user. */
  static int exitCode(DeployerException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT -> ExitCodes.INVALID;
      case FAILED -> ExitCodes.FAILED;
      case REFUSED -> ExitCodes.REFUSED;
      case UNREACHABLE -> ExitCodes.UNREACHABLE;
    };
  }

  /**
   * The exit code an exception ends a command with: its kind's, for a failure deployer reports to
   * its user; {@link ExitCodes#INTERNAL} for anything else.
   */
  static int exitCode(Exception e) {
    if (e instanceof DeployerException de) {
      return exitCode(de.kind());
    }
    return ExitCodes.INTERNAL;
  }

  /** The name of the JSON line that ends a command with {@code exitCode}. */
  static String endEvent(int exitCode) {
    if (exitCode == ExitCodes.REFUSED) {
      return "refused";
    }
    return exitCode > 128 ? "interrupted" : "error";
  }

  /** {@code lint}: failed on an error, or with {@code --strict} on a warning too. */
  static int lintExitCode(long errors, long warnings, boolean strict) {
    return errors > 0 || strict && warnings > 0 ? ExitCodes.FAILED : ExitCodes.SUCCESS;
  }

  /** {@code diff}: {@link ExitCodes#CHANGES} for changes when {@code --detailed-exitcode} asks. */
  static int diffExitCode(boolean detailedExitCode, boolean changes) {
    return detailedExitCode && changes ? ExitCodes.CHANGES : ExitCodes.SUCCESS;
  }

  /** {@code deployer monitor}: failed unless the release stayed healthy. */
  static int monitorExitCode(boolean healthy) {
    return healthy ? ExitCodes.SUCCESS : ExitCodes.FAILED;
  }
}
