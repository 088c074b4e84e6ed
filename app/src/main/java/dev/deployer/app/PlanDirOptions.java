package dev.deployer.app;

import dev.deployer.core.builder.BuildRequest;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The plan directory a command reads or writes. */
final class PlanDirOptions {
  @Option(
      names = {"-p", "--plandir"},
      paramLabel = "DIR",
      defaultValue = BuildRequest.DEFAULT_PLAN_DIR,
      description = "The plan directory (default: ${DEFAULT-VALUE}).")
  Path planDir;
}
