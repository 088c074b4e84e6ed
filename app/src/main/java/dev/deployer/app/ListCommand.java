package dev.deployer.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer list}. */
@Command(
    name = "list",
    aliases = "ls",
    mixinStandardHelpOptions = true,
    description =
        "List the plan's releases with their revision, status, chart, app version and last deploy time.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanSourceOptions plan;
  @Mixin SelectionOptions selection;
  @Mixin KubeOptions kube;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  StatusTable.Format format;

  @Override
  public Integer call() {
    return StatusTable.print(spec, plan, selection, kube, format, false);
  }
}
