package dev.deployer.core.kube;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A workload of a release that is not ready, with what explains it.
 *
 * @param state what is wrong, as {@code 0/2 ready}, {@code failed (BackoffLimitExceeded: ...)} or
 *     {@code not found}
 * @param pods its pods (by its selector), unhealthy or not
 * @param events the last Warning events about it, its ReplicaSets and its pods, oldest first
 */
public record UnreadyResource(
    String kind,
    String namespace,
    String name,
    String state,
    List<PodHealth> pods,
    List<WarningEvent> events) {

  public UnreadyResource {
    pods = List.copyOf(pods);
    events = List.copyOf(events);
  }

  /** {@code Kind/namespace/name}, as resources are named elsewhere in reports. */
  public String key() {
    return kind + "/" + namespace + "/" + name;
  }

  /**
   * {@code Deployment/shop/api: 0/2 ready; pod api-7d9f: restarts 5 (CrashLoopBackOff); events:
   * BackOff: Back-off restarting failed container}: only unhealthy pods, each event text once.
   */
  public String describe() {
    List<String> parts = new ArrayList<>();
    parts.add(key() + ": " + state);
    pods.stream().filter(PodHealth::isUnhealthy).map(PodHealth::describe).forEach(parts::add);
    Set<String> texts = new LinkedHashSet<>();
    events.forEach(e -> texts.add(e.describe()));
    if (!texts.isEmpty()) {
      parts.add("events: " + String.join("; ", texts));
    }
    return String.join("; ", parts);
  }
}
