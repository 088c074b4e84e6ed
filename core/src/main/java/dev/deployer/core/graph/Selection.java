package dev.deployer.core.graph;

import java.util.List;

/**
 * Which releases a command works on.
 *
 * @param tags releases with any of these tags (all of them with {@code matchAllTags}); empty
 *     selects every release
 * @param includeDependencies whether the releases the selection depends on come along
 * @param names releases named so ({@code name} or {@code name@namespace}); empty names none in
 *     particular. With tags too, a release must match both.
 */
public record Selection(
    List<String> tags, boolean matchAllTags, boolean includeDependencies, List<String> names) {
  public static final Selection ALL = new Selection(List.of(), false, true);

  public Selection {
    tags = List.copyOf(tags);
    names = List.copyOf(names);
  }

  /** A selection by tags only. */
  public Selection(List<String> tags, boolean matchAllTags, boolean includeDependencies) {
    this(tags, matchAllTags, includeDependencies, List.of());
  }
}
