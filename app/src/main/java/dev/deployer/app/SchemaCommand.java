package dev.deployer.app;

import dev.deployer.core.plan.PlanSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer schema}: prints the JSON Schema of the plan file, for editors. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of the plan file, for editor completion and checks.")
final class SchemaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Not -o/--output: that is the output format of up, status and the others, and a shared
  // DEPLOYER_OUTPUT=json would make this write a file named json.
  @Option(
      names = "--output-file",
      paramLabel = "FILE",
      description = "Write the schema to FILE instead of standard output.")
  Path output;

  @Override
  public Integer call() throws java.io.IOException {
    String schema = PlanSchema.json();
    if (output == null) {
      spec.commandLine().getOut().print(schema);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(output, schema, StandardCharsets.UTF_8);
    }
    return ExitCodes.SUCCESS;
  }
}
