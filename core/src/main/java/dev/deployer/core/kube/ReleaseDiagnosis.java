package dev.deployer.core.kube;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Why a release is not ready: its workloads that are not, each with its pods and recent warnings.
 */
public record ReleaseDiagnosis(List<UnreadyResource> unready) {

  public ReleaseDiagnosis {
    unready = List.copyOf(unready);
  }

  /** Whether every workload of the release looked ready. */
  public boolean isEmpty() {
    return unready.isEmpty();
  }

  /**
   * One paragraph for a report: each unready workload's {@link UnreadyResource#describe()},
   * separated by {@code " | "}; empty when nothing was found.
   */
  public String summary() {
    return unready.stream().map(UnreadyResource::describe).collect(Collectors.joining(" | "));
  }
}
