package dev.deployer.app;

import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.error.DeployerException;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** Every exit code of deployer, and which failure maps to which, in one place. */
public final class ExitCodes {
  /** Everything done. */
  public static final int SUCCESS = 0;

  /** A release or monitor failed. */
  public static final int FAILED = 1;

  /** Invalid input: a usage error or an invalid plan. */
  public static final int INVALID = 2;

  /** Changes found ({@code diff --detailed-exitcode}). */
  public static final int CHANGES = 3;

  /**
   * Refused: a stale plan, a plan directory changed since its build, or a lock held by another run.
   */
  public static final int REFUSED = 4;

  /**
   * Interrupted by a signal: {@code 128 + its number}, as shells report it (130 for SIGINT, 143 for
   * SIGTERM).
   */
  public static int interrupted(int signal) {
    return 128 + signal;
  }

  /** A bug in deployer, or a failure it did not foresee. */
  public static final int INTERNAL = 70;

  private ExitCodes() {}

  /** The exit code of a run's verdict; a signal's own code replaces it (see {@link Interrupts}). */
  static int of(RunReport.Verdict verdict) {
    return switch (verdict) {
      case SUCCEEDED -> SUCCESS;
      case FAILED, INTERRUPTED -> FAILED;
      case REFUSED -> REFUSED;
    };
  }

  /** The exit code of a failure deployer reports to its user. */
  static int of(DeployerException.Kind kind) {
    return switch (kind) {
      case INVALID_INPUT -> INVALID;
      case FAILED -> FAILED;
      case REFUSED -> REFUSED;
    };
  }

  static int handle(Exception e, CommandLine cli, ParseResult parseResult) {
    var err = cli.getErr();
    if (e instanceof PlanException pe) {
      for (Problem p : pe.problems()) {
        err.println(Console.error(cli) + p);
      }
      err.println(
          pe.problems().size() == 1 ? "1 problem found" : pe.problems().size() + " problems found");
      return of(pe.kind());
    }
    if (e instanceof DeployerException de) {
      err.println(Console.error(cli) + e.getMessage());
      return of(de.kind());
    }
    err.println(Console.error(cli) + "internal error: " + e);
    e.printStackTrace(err);
    return INTERNAL;
  }

  static int handleUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    cli.getErr().println(Console.error(cli) + e.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr())) {
      cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    }
    return INVALID;
  }
}
