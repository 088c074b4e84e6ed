package dev.deployer.app;

import dev.deployer.core.Plans;
import dev.deployer.core.graph.GraphFormat;
import dev.deployer.core.graph.ReleaseGraph;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer graph}: shows the releases in deploy order with what each waits for. */
@Command(
    name = "graph",
    mixinStandardHelpOptions = true,
    description = "Show the release dependency graph.")
final class GraphCommand implements Callable<Integer> {
  enum Format {
    text,
    mermaid
  }

  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;
  @Mixin SelectionOptions selection;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); mermaid is a fenced block for Markdown.")
  Format format;

  @Override
  public Integer call() {
    ReleaseGraph graph =
        Plans.load(plan.planFile(), Console.of(spec)).graph().select(selection.selection());
    String text = format == Format.mermaid ? GraphFormat.mermaid(graph) : GraphFormat.text(graph);
    spec.commandLine().getOut().print(text);
    spec.commandLine().getOut().flush();
    return ExitCodes.SUCCESS;
  }
}
