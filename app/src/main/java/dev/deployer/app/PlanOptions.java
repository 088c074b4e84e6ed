package dev.deployer.app;

import dev.deployer.core.Plans;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Which plan file a command reads. */
final class PlanOptions {
  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description =
          "The plan file (default: deployer.yml, or helmwave.yml when that is the one present).")
  Path file;

  Path planFile() {
    return file != null ? file : Plans.find(Path.of(""));
  }
}
