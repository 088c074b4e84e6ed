package dev.deployer.app;

import dev.deployer.core.graph.Selection;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which releases {@code down} and {@code rollback} act on: the selected ones only, unless asked to
 * widen, since both take releases away.
 */
final class ReverseSelectionOptions {
  @Option(
      names = {"-t", "--tags"},
      split = ",",
      paramLabel = "TAG",
      description = "Only releases with any of these tags (comma-separated, repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--match-all-tags", description = "Only releases that have every tag given.")
  boolean matchAllTags;

  @Option(
      names = "--with-deps",
      description =
          "Also the releases the selection depends on, as up takes them (left out by default).")
  boolean withDeps;

  Selection selection() {
    return new Selection(tags, matchAllTags, withDeps);
  }

  /** The selection narrowed to one release by name. */
  Selection selection(String release) {
    return new Selection(tags, matchAllTags, withDeps, java.util.List.of(release));
  }
}
