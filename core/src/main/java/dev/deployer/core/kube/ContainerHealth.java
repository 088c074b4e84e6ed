package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of one container of a pod.
 *
 * @param waitingReason why it is not running now, e.g. {@code CrashLoopBackOff}, {@code
 *     ImagePullBackOff}, {@code CreateContainerConfigError}
 * @param terminatedReason why it stopped, if it is stopped now, e.g. {@code Error}, {@code
 *     Completed}
 * @param lastTerminationReason why its previous run ended, e.g. {@code OOMKilled}, {@code Error}
 */
public record ContainerHealth(
    String name,
    boolean ready,
    int restarts,
    Optional<String> waitingReason,
    Optional<String> terminatedReason,
    Optional<String> lastTerminationReason) {

  static ContainerHealth of(ContainerStatus status) {
    var state = status.getState();
    var last = status.getLastState();
    return new ContainerHealth(
        status.getName(),
        Boolean.TRUE.equals(status.getReady()),
        Objects.requireNonNullElse(status.getRestartCount(), 0),
        Optional.ofNullable(state == null ? null : state.getWaiting())
            .map(w -> w.getReason())
            .filter(r -> !r.isBlank()),
        Optional.ofNullable(state == null ? null : state.getTerminated())
            .map(t -> t.getReason())
            .filter(r -> !r.isBlank()),
        Optional.ofNullable(last == null ? null : last.getTerminated())
            .map(t -> t.getReason())
            .filter(r -> !r.isBlank()));
  }
}
