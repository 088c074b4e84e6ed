package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one run of the scheduler did.
 *
 * @param releases one result per release of the graph, in the graph's order
 * @param startOrder the releases whose task started, in the order they started
 * @param finishOrder the releases whose task ended, in the order the scheduler saw them end
 * @param cancellation the reason the run was cancelled, when it was
 * @param took the run's wall time
 */
public record ScheduleResult(
    List<ReleaseResult> releases,
    List<String> startOrder,
    List<String> finishOrder,
    Optional<String> cancellation,
    Duration took) {

  public ScheduleResult {
    releases = List.copyOf(releases);
    startOrder = List.copyOf(startOrder);
    finishOrder = List.copyOf(finishOrder);
  }

  /**
   * Every release deployed or was unchanged. A release that failed with {@code allow_failure} still
   * makes the run a failure, though its dependents went on.
   */
  public boolean succeeded() {
    return releases.stream().allMatch(r -> r.outcome().succeeded());
  }

  public boolean cancelled() {
    return cancellation.isPresent();
  }

  /** The result of the release with this unique name. */
  public ReleaseResult result(String release) {
    return releases.stream()
        .filter(r -> r.release().equals(release))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no release " + release + " in this run"));
  }

  /** The releases that ended with this outcome, in graph order. */
  public List<ReleaseResult> withOutcome(Outcome outcome) {
    return releases.stream().filter(r -> r.outcome() == outcome).toList();
  }
}
