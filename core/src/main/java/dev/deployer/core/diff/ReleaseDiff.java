package dev.deployer.core.diff;

import java.util.List;
import java.util.Optional;

/**
 * How one release changed: its chart version, its deploy options and each resource.
 *
 * @param deployChanges the deploy options that changed, as {@code timeout: 5m -> 10m}; a changed
 *     option makes an otherwise unchanged release changed
 */
public record ReleaseDiff(
    String uniqueName,
    Change change,
    Optional<String> chartVersionBefore,
    Optional<String> chartVersionAfter,
    List<ResourceDiff> resources,
    List<String> deployChanges) {

  public ReleaseDiff {
    resources = List.copyOf(resources);
    deployChanges = List.copyOf(deployChanges);
  }

  public ReleaseDiff(
      String uniqueName,
      Change change,
      Optional<String> chartVersionBefore,
      Optional<String> chartVersionAfter,
      List<ResourceDiff> resources) {
    this(uniqueName, change, chartVersionBefore, chartVersionAfter, resources, List.of());
  }

  public long count(Change kind) {
    return resources.stream().filter(r -> r.change() == kind).count();
  }

  /** This diff with the deploy options that changed. */
  public ReleaseDiff withDeployChanges(List<String> changes) {
    Change c = change == Change.UNCHANGED && !changes.isEmpty() ? Change.CHANGED : change;
    return new ReleaseDiff(
        uniqueName, c, chartVersionBefore, chartVersionAfter, resources, changes);
  }
}
