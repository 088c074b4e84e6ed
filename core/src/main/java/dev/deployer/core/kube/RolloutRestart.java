package dev.deployer.core.kube;

import dev.deployer.core.diff.Manifests;
import dev.deployer.core.diff.Resource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Restarts the workloads of a release as {@code kubectl rollout restart} does: a new {@code
 * kubectl.kubernetes.io/restartedAt} annotation on each pod template makes its controller roll the
 * pods. The release's manifest is not changed, so its plan does not differ from run to run.
 */
public final class RolloutRestart {
  /** The annotation {@code kubectl rollout restart} sets; tools recognise it. */
  public static final String ANNOTATION = "kubectl.kubernetes.io/restartedAt";

  private static final Set<String> KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet");

  private RolloutRestart() {}

  /**
   * Restarts every Deployment, StatefulSet and DaemonSet of {@code manifest} (hooks left out).
   *
   * @return what was restarted: {@code Deployment/namespace/name}
   */
  public static List<String> restart(
      KubernetesClient client, String manifest, String defaultNamespace, Instant now) {
    String patch =
        "{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\""
            + ANNOTATION
            + "\":\""
            + now.truncatedTo(ChronoUnit.SECONDS)
            + "\"}}}}}";
    PatchContext merge =
        new PatchContext.Builder()
            .withPatchType(PatchType.JSON_MERGE)
            .withFieldManager("deployer-rollout-restart")
            .build();
    List<String> restarted = new ArrayList<>();
    for (Resource r : Manifests.parse(manifest, defaultNamespace)) {
      if (!KINDS.contains(r.kind()) || isHook(r)) {
        continue;
      }
      switch (r.kind()) {
        case "Deployment" ->
            client
                .apps()
                .deployments()
                .inNamespace(r.namespace())
                .withName(r.name())
                .patch(merge, patch);
        case "StatefulSet" ->
            client
                .apps()
                .statefulSets()
                .inNamespace(r.namespace())
                .withName(r.name())
                .patch(merge, patch);
        default ->
            client
                .apps()
                .daemonSets()
                .inNamespace(r.namespace())
                .withName(r.name())
                .patch(merge, patch);
      }
      restarted.add(r.kind() + "/" + r.namespace() + "/" + r.name());
    }
    return restarted;
  }

  private static boolean isHook(Resource r) {
    return r.content().get("metadata") instanceof Map<?, ?> meta
        && meta.get("annotations") instanceof Map<?, ?> annotations
        && annotations.containsKey("helm.sh/hook");
  }
}
