package dev.deployer.app;

import dev.deployer.core.Plans;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * Which plan a command that only reads takes its releases from: the plan file ({@code -f}, the
 * default) or a plan directory ({@code --plandir}). Each names a whole plan, so one is used and the
 * other never silently ignored: given both on the command line, the command refuses; a flag on the
 * command line wins over the other's variable (CI often sets {@code DEPLOYER_PLANDIR} for {@code
 * up}); with both variables set, it refuses too.
 */
final class PlanSourceOptions {
  @Mixin PlanOptions plan;

  @Option(
      names = {"-p", "--plandir"},
      paramLabel = "DIR",
      description = "Read the releases from this plan directory's planfile instead of a plan file.")
  Path planDir;

  /** The plan directory to read, or empty when the plan file is the one. */
  Optional<Path> planDir(CommandSpec spec) {
    CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    boolean fileGiven = parsed.hasMatchedOption("--file");
    boolean dirGiven = parsed.hasMatchedOption("--plandir");
    if (fileGiven && dirGiven) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "-f/--file and --plandir name two plans; give one of them");
    }
    if (fileGiven || planDir == null) {
      return Optional.empty();
    }
    if (!dirGiven && plan.file != null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "DEPLOYER_FILE and DEPLOYER_PLANDIR name two plans; give -f or --plandir to say which");
    }
    return Optional.of(planDir);
  }

  /** The plan: read from the plan directory, or read and checked from the plan file. */
  Plans.LoadedPlan load(CommandSpec spec) {
    Optional<Path> dir = planDir(spec);
    return dir.isPresent()
        ? Plans.loadPlanDirectory(dir.get())
        : Plans.load(plan.planFile(), Console.of(spec));
  }
}
