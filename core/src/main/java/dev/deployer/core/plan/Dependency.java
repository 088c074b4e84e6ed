package dev.deployer.core.plan;

import java.util.Optional;

/**
 * One entry of a release's {@code depends_on}: a release by name or unique name, or every release
 * with a tag. An optional dependency that matches nothing is dropped with a warning.
 */
public record Dependency(
    Optional<String> name, Optional<String> tag, boolean optional, Location location) {

  public Dependency {
    if (name.isPresent() == tag.isPresent()) {
      throw new IllegalArgumentException("a dependency names either a release or a tag");
    }
  }

  @Override
  public String toString() {
    return name.orElseGet(() -> "tag " + tag.orElseThrow());
  }
}
