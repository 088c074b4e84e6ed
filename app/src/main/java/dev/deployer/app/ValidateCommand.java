package dev.deployer.app;

import dev.deployer.core.Plans;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deployer validate}: checks a plan and lists every problem. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Check the plan: every problem is listed with file, line, column and field.")
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;
  @Mixin OutputOptions output;

  @Override
  public Integer call() {
    var loaded = Plans.load(plan.planFile(), Console.of(spec, output));
    int monitors = loaded.plan().monitors().size();
    spec.commandLine()
        .getOut()
        .printf(
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
