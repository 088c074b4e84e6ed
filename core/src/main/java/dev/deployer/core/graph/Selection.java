package dev.deployer.core.graph;

import java.util.List;

/**
 * Which releases a command works on.
 *
 * @param tags releases with any of these tags (all of them with {@code matchAllTags}); empty
 *     selects every release
 * @param includeDependencies whether the releases the selection depends on come along
 */
public record Selection(List<String> tags, boolean matchAllTags, boolean includeDependencies) {
  public static final Selection ALL = new Selection(List.of(), false, true);

  public Selection {
    tags = List.copyOf(tags);
  }
}
