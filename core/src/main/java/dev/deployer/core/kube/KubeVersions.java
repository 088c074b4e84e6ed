package dev.deployer.core.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes version of a kube context's cluster, asked once per context, for rendering
 * releases that set no {@code offline_kube_version}. Without a kubeconfig nothing is asked; an
 * unreachable cluster gives no version (and the build renders for the default).
 */
public final class KubeVersions {
  private static final Logger LOG = LoggerFactory.getLogger(KubeVersions.class);
  // A build should not wait long for a cluster it only asks its version.
  private static final int TIMEOUT_MILLIS = 3_000;

  private final Clusters clusters;
  private final Optional<String> defaultContext;
  private final Map<String, Optional<String>> byContext = new ConcurrentHashMap<>();

  public KubeVersions(Map<String, String> environment, Optional<String> defaultContext) {
    this.clusters = Clusters.fromEnvironment(environment);
    this.defaultContext = defaultContext;
  }

  /** {@code 1.29.3} for a cluster reporting {@code v1.29.3}, or empty. */
  public Optional<String> version(Optional<String> context) {
    Optional<String> effective = context.or(() -> defaultContext);
    return byContext.computeIfAbsent(effective.orElse(""), k -> ask(effective));
  }

  private Optional<String> ask(Optional<String> context) {
    try {
      Config config = Config.fromKubeconfig(clusters.kubeconfigContents(context));
      config.setConnectionTimeout(TIMEOUT_MILLIS);
      config.setRequestTimeout(TIMEOUT_MILLIS);
      config.setRequestRetryBackoffLimit(0);
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
        // Read /version directly: fabric8's VersionInfo insists on fields some servers leave out.
        String body = client.raw(config.getMasterUrl().replaceAll("/$", "") + "/version");
        String gitVersion =
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(body)
                .path("gitVersion")
                .asText("");
        String version = gitVersion.replaceFirst("^v", "").replaceFirst("[-+].*$", "");
        return version.matches("\\d+\\.\\d+\\.\\d+") ? Optional.of(version) : Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      // No kubeconfig, an unknown context, or a cluster out of reach: render for the default.
      LOG.debug(
          "no Kubernetes version from {}: {}", context.orElse("the current context"), e.toString());
      return Optional.empty();
    }
  }
}
