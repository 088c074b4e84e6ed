package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The pods of a release and their health, for the {@code kubernetes} monitor. */
public final class ReleasePods {

  /** The label Helm charts conventionally put on every object of a release. */
  public static final String INSTANCE_LABEL = "app.kubernetes.io/instance";

  private ReleasePods() {}

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
