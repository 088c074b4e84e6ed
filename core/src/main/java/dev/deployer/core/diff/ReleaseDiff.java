package dev.deployer.core.diff;

import java.util.List;
import java.util.Optional;

/** How one release changed: its chart version and each resource. */
public record ReleaseDiff(
    String uniqueName,
    Change change,
    Optional<String> chartVersionBefore,
    Optional<String> chartVersionAfter,
    List<ResourceDiff> resources) {

  public ReleaseDiff {
    resources = List.copyOf(resources);
  }

  public long count(Change kind) {
    return resources.stream().filter(r -> r.change() == kind).count();
  }
}
