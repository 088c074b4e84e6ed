package dev.deployer.app;

import dev.deployer.core.graph.Selection;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Which releases of the plan a command works on. */
final class SelectionOptions {
  @Mixin TagOptions tags;

  @Option(
      names = "--no-deps",
      description =
          "Leave out the releases the selection depends on (they are included by default).")
  boolean noDeps;

  @Option(
      names = "--dependencies",
      arity = "0..1",
      paramLabel = "BOOL",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "helmwave's spelling: --dependencies=false is --no-deps (default: ${DEFAULT-VALUE}).")
  boolean dependencies = true;

  Selection selection() {
    return new Selection(tags.tags, tags.matchAllTags, !noDeps && dependencies);
  }
}
