package dev.deployer.app;

import dev.deployer.core.Plans;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer validate}: checks a plan, or a plan directory, and lists every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check the plan: every problem is listed with file, line, column and field.",
      "With --plandir, check that a plan directory is complete and unchanged since its build."
    })
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;

  @Option(
      names = "--plandir",
      paramLabel = "DIR",
      description = "Check this plan directory instead of the plan file.")
  Path planDir;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (planDir != null) {
      PlanDirectory dir = PlanDirectory.open(planDir);
      dir.verify();
      int releases = dir.snapshots().size();
      out.printf(
          "%s is complete: %d %s%n", planDir, releases, releases == 1 ? "release" : "releases");
      return ExitCodes.SUCCESS;
    }
    var loaded = Plans.load(plan.planFile(), Console.of(spec));
    int monitors = loaded.plan().monitors().size();
    out.printf(
        "%s is valid: %d %s, %d %s, %d %s%n",
        plan.planFile(),
        loaded.graph().size(),
        loaded.graph().size() == 1 ? "release" : "releases",
        loaded.graph().edgeCount(),
        loaded.graph().edgeCount() == 1 ? "dependency" : "dependencies",
        monitors,
        monitors == 1 ? "monitor" : "monitors");
    return ExitCodes.SUCCESS;
  }
}
