package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pods of a release and their health, for the {@code kubernetes} monitor. */
public final class ReleasePods {

  /** The label Helm charts conventionally put on every object of a release. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private ReleasePods() {}

  /**
   * A pod's health and what tells why it may go away: its Helm hook delete policy, when it is a
   * hook ({@code helm.sh/hook-delete-policy}, Helm's default {@code before-hook-creation} when a
   * hook sets none), and the kind of its owner (a Job's pods go with the Job).
   */
  public record ReleasePod(
      PodHealth health, Optional<String> hookDeletePolicy, Optional<String> ownerKind) {}

  /** The pods labelled {@code app.kubernetes.io/instance=RELEASE}, by name, with their metadata. */
  public static List<ReleasePod> withMetadata(
      KubernetesClient client, String namespace, String release) {
    List<Pod> pods =
        client
            .pods()
            .inNamespace(namespace)
            .withLabels(Map.of(INSTANCE_LABEL, release))
            .list()
            .getItems();
    return pods.stream()
        .map(
            pod -> {
              Map<String, String> annotations =
                  Optional.ofNullable(pod.getMetadata().getAnnotations()).orElse(Map.of());
              Optional<String> policy =
                  annotations.containsKey("helm.sh/hook")
                      ? Optional.of(
                          annotations.getOrDefault(
                              "helm.sh/hook-delete-policy", "before-hook-creation"))
                      : Optional.empty();
              Optional<String> owner =
                  Optional.ofNullable(pod.getMetadata().getOwnerReferences()).stream()
                      .flatMap(List::stream)
                      .map(r -> r.getKind())
                      .findFirst();
              return new ReleasePod(PodHealth.of(pod), policy, owner);
            })
        .sorted(Comparator.comparing(p -> p.health().name()))
        .toList();
  }

  /** The pods labelled {@code app.kubernetes.io/instance=RELEASE}, by name. */
  public static List<PodHealth> of(KubernetesClient client, String namespace, String release) {
    return matching(client, namespace, Map.of(INSTANCE_LABEL, release));
  }

  /**
   * The pods whose labels include all of these (equality only, as a workload's {@code
   * matchLabels}), by name.
   */
  public static List<PodHealth> matching(
      KubernetesClient client, String namespace, Map<String, String> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("no labels to select pods by: that would be every pod");
    }
    List<Pod> pods = client.pods().inNamespace(namespace).withLabels(labels).list().getItems();
    return pods.stream().map(PodHealth::of).sorted(Comparator.comparing(PodHealth::name)).toList();
  }
}
