package dev.deployer.app;

import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Every exit code of deployer, and how a failure that ends a command is told; which result or
 * failure maps to which code is {@link Outcomes}.
 */
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
   * A cluster's API server could not be reached (refused, unknown host, no route, bad credentials):
   * nothing is known of what is deployed there.
   */
  public static final int UNREACHABLE = 5;

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

  static int handle(Exception e, CommandLine cli, ParseResult parseResult) {
    if (JsonLines.wanted(cli)) {
      return handleAsJson(e, cli.getErr());
    }
    var err = cli.getErr();
    if (e instanceof PlanException pe) {
      for (Problem p : pe.problems()) {
        err.println(Console.error(cli) + p);
      }
      err.println(problemsFound(pe));
      return Outcomes.exitCode(pe.kind());
    }
    int code = Outcomes.exitCode(e);
    if (code == INTERNAL) {
      err.println(Console.error(cli) + "internal error: " + e);
      e.printStackTrace(err);
    } else {
      err.println(Console.error(cli) + e.getMessage());
    }
    return code;
  }

  private static String problemsFound(PlanException pe) {
    return pe.problems().size() == 1 ? "1 problem found" : pe.problems().size() + " problems found";
  }

  /**
   * {@code --log-format json}: a plan's problems one per line ({@code "event":"problem"}), then the
   * line that ends the command, with the message and the exit code.
   */
  private static int handleAsJson(Exception e, java.io.PrintWriter err) {
    int code = Outcomes.exitCode(e);
    if (e instanceof PlanException pe) {
      for (Problem p : pe.problems()) {
        var line = JsonLines.line("error", "problem");
        line.put("location", p.location().toString());
        line.put("field", p.field());
        line.put("message", p.message());
        err.println(line.toString());
      }
      JsonLines.printEnd(err, "error", problemsFound(pe), code);
      return code;
    }
    if (code == INTERNAL) {
      var line = JsonLines.line("error", "error");
      line.put("message", "internal error: " + e);
      line.put("exit_code", code);
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      line.put("stack_trace", trace.toString());
      err.println(line.toString());
      err.flush();
      return code;
    }
    JsonLines.printEnd(err, Outcomes.endEvent(code), String.valueOf(e.getMessage()), code);
    return code;
  }

  static int handleUsage(CommandLine.ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    if (JsonLines.requested(args, DeployerCommand.environment(cli.getCommandSpec()))) {
      var line = JsonLines.line("error", "error");
      line.put("message", e.getMessage());
      line.put("exit_code", INVALID);
      java.io.StringWriter suggestions = new java.io.StringWriter();
      if (CommandLine.UnmatchedArgumentException.printSuggestions(
          e, new java.io.PrintWriter(suggestions))) {
        line.put("hint", suggestions.toString().strip());
      } else {
        line.put("hint", "Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
      }
      cli.getErr().println(line.toString());
      cli.getErr().flush();
      return INVALID;
    }
    cli.getErr().println(Console.error(cli) + e.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, cli.getErr())) {
      cli.getErr().println("Run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage.");
    }
    return INVALID;
  }
}
