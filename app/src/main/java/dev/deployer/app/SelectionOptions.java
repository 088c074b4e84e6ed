package dev.deployer.app;

import dev.deployer.core.graph.Selection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which releases of the plan a command works on. */
final class SelectionOptions {
  @Option(
      names = {"-t", "--tags"},
      split = ",",
      paramLabel = "TAG",
      description = "Only releases with any of these tags (comma-separated, repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--match-all-tags", description = "Only releases that have every tag given.")
  boolean matchAllTags;

  @Option(
      names = "--no-deps",
      description =
          "Leave out the releases the selection depends on (they are included by default).")
  boolean noDeps;

  Selection selection() {
    return new Selection(tags, matchAllTags, !noDeps);
  }
}
