package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** Release namespaces: made on demand, marked as made by deployer. */
public final class Namespaces {

  /** The label deployer puts on what it creates itself (not on what Helm installs). */
  public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";

  public static final String MANAGED_BY_VALUE = "deployer";

  private Namespaces() {}

  /**
   * Creates a namespace unless it exists. Safe to call from several threads or processes at once:
   * whoever loses the race to create it finds it made.
   *
   * @return whether this call created it
   */
  public static boolean ensure(KubernetesClient client, String name) {
    if (client.namespaces().withName(name).get() != null) {
      return false;
    }
    Namespace namespace =
        new NamespaceBuilder()
            .withNewMetadata()
            .withName(name)
            .addToLabels(MANAGED_BY_LABEL, MANAGED_BY_VALUE)
            .endMetadata()
            .build();
    try {
      client.namespaces().resource(namespace).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false; // someone else made it between our read and our create
      }
      throw e;
    }
  }
}
