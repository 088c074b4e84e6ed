package dev.deployer.core.diff;

import java.util.List;

/** The differences between two plans, release by release, sorted by unique name. */
public record PlanDiff(List<ReleaseDiff> releases) {
  public PlanDiff {
    releases = List.copyOf(releases);
  }

  public boolean hasChanges() {
    return releases.stream().anyMatch(r -> r.change() != Change.UNCHANGED);
  }

  public long count(Change change) {
    return releases.stream().filter(r -> r.change() == change).count();
  }
}
