package dev.deployer.app;

import dev.deployer.core.graph.Selection;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Which releases {@code down} and {@code rollback} act on: the selected ones only, unless asked to
 * widen, since both take releases away.
 */
final class ReverseSelectionOptions {
  @Mixin TagOptions tags;

  @Option(
      names = "--with-deps",
      description =
          "Also the releases the selection depends on, as up takes them (left out by default).")
  boolean withDeps;

  Selection selection() {
    return new Selection(tags.tags, tags.matchAllTags, withDeps);
  }

  /** The selection narrowed to one release by name. */
  Selection selection(String release) {
    return new Selection(tags.tags, tags.matchAllTags, withDeps, List.of(release));
  }
}
