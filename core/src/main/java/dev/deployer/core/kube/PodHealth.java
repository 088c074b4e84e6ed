package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The health of one pod: whether it is ready, how often its containers restarted and why they are
 * not running.
 *
 * @param phase {@code Pending}, {@code Running}, {@code Succeeded}, {@code Failed} or {@code
 *     Unknown}
 * @param restarts the restarts of all its containers, init containers included
 * @param unschedulableReason the scheduler's message when the pod cannot be placed on a node
 */
public record PodHealth(
    String name,
    String phase,
    boolean ready,
    int restarts,
    List<ContainerHealth> containers,
    Optional<String> unschedulableReason) {

  public PodHealth {
    containers = List.copyOf(containers);
  }

  /** Not ready (and not a finished pod), restarted, or held by a container problem. */
  public boolean isUnhealthy() {
    boolean finished = phase.equals("Succeeded");
    return (!ready && !finished) || restarts > 0 || !reasons().isEmpty();
  }

  /**
   * What keeps it from running, most telling first, without repeats: {@code CrashLoopBackOff},
   * {@code ImagePullBackOff}, {@code OOMKilled}, {@code Unschedulable}.
   */
  public List<String> reasons() {
    Set<String> reasons = new LinkedHashSet<>();
    unschedulableReason.ifPresent(r -> reasons.add("Unschedulable"));
    containers.forEach(c -> c.waitingReason().ifPresent(reasons::add));
    containers.stream()
        .flatMap(c -> c.terminatedReason().stream())
        .filter(r -> !r.equals("Completed"))
        .forEach(reasons::add);
    containers.forEach(c -> c.lastTerminationReason().ifPresent(r -> reasons.add("last " + r)));
    return List.copyOf(reasons);
  }

  /** {@code pod api-7d9f: restarts 5 (CrashLoopBackOff, last OOMKilled)}. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    if (!ready && !phase.equals("Succeeded")) {
      parts.add(phase.equals("Running") ? "not ready" : phase);
    }
    parts.add("restarts " + restarts);
    List<String> reasons = reasons();
    return "pod "
        + name
        + ": "
        + String.join(", ", parts)
        + (reasons.isEmpty() ? "" : " (" + String.join(", ", reasons) + ")");
  }

  static PodHealth of(Pod pod) {
    var status = pod.getStatus();
    List<ContainerStatus> statuses =
        status == null
            ? List.of()
            : Stream.concat(
                    Optional.ofNullable(status.getInitContainerStatuses()).stream()
                        .flatMap(List::stream),
                    Optional.ofNullable(status.getContainerStatuses()).stream()
                        .flatMap(List::stream))
                .toList();
    List<ContainerHealth> containers = statuses.stream().map(ContainerHealth::of).toList();
    List<PodCondition> conditions =
        status == null || status.getConditions() == null ? List.of() : status.getConditions();
    boolean ready =
        conditions.stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    Optional<String> unschedulable =
        conditions.stream()
            .filter(
                c ->
                    "PodScheduled".equals(c.getType())
                        && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason()))
            .map(c -> c.getMessage() == null ? "" : c.getMessage())
            .findFirst();
    String phase = status == null || status.getPhase() == null ? "Unknown" : status.getPhase();
    return new PodHealth(
        pod.getMetadata().getName(),
        phase,
        ready,
        containers.stream().mapToInt(ContainerHealth::restarts).sum(),
        containers,
        unschedulable);
  }
}
