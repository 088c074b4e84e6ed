package dev.deployer.app;

import dev.deployer.core.Plans;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deployer validate}: checks a plan, or a plan directory, and lists every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the plan: every problem is listed with file, line, column and field.",
      "With --plandir, check instead that a plan directory is complete and unchanged since its build.",
      "-f and --plandir exclude each other; a flag on the command line wins over the other's variable."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanSourceOptions source;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    Optional<Path> planDir = source.planDir(spec);
    if (planDir.isPresent()) {
      PlanDirectory dir = PlanDirectory.open(planDir.get());
      dir.verify();
      int releases = dir.snapshots().size();
      out.printf(
          "%s is complete: %d %s%n",
          planDir.get(), releases, releases == 1 ? "release" : "releases");
      return ExitCodes.SUCCESS;
    }
    var loaded = Plans.load(source.plan.planFile(), Console.of(spec));
    int monitors = loaded.plan().monitors().size();
    out.printf(
        "%s is valid: %d %s, %d %s, %d %s%n",
        source.plan.planFile(),
        loaded.graph().size(),
        loaded.graph().size() == 1 ? "release" : "releases",
        loaded.graph().edgeCount(),
        loaded.graph().edgeCount() == 1 ? "dependency" : "dependencies",
        monitors,
        monitors == 1 ? "monitor" : "monitors");
    return ExitCodes.SUCCESS;
  }
}
