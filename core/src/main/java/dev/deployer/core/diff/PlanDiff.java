package dev.deployer.core.diff;

import java.util.List;
import java.util.Map;

/** The differences between two plans, release by release, sorted by unique name. */
public record PlanDiff(List<ReleaseDiff> releases) {
  public PlanDiff {
    releases = List.copyOf(releases);
  }

  public boolean hasChanges() {
    return releases.stream().anyMatch(r -> r.change() != Change.UNCHANGED);
  }

  /** This diff with each release's changed deploy options (by unique name) added. */
  public PlanDiff withDeployChanges(Map<String, List<String>> changes) {
    return new PlanDiff(
        releases.stream()
            .map(r -> r.withDeployChanges(changes.getOrDefault(r.uniqueName(), List.of())))
            .toList());
  }

  public long count(Change change) {
    return releases.stream().filter(r -> r.change() == change).count();
  }
}
