package dev.deployer.core.helm;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What to render: a release of a local chart with values files.
 *
 * @param releaseName the release name ({@code .Release.Name})
 * @param namespace the release namespace ({@code .Release.Namespace})
 * @param chart a chart directory or a packaged {@code .tgz}
 * @param valuesFiles values files in merge order: a later file wins, maps are deep-merged
 * @param kubeVersion the Kubernetes version the chart sees in {@code .Capabilities.KubeVersion};
 *     {@link #DEFAULT_KUBE_VERSION} when null or blank, so a render never depends on which Helm
 *     library happens to be embedded
 * @param postRenderer a command and its arguments that Helm runs over the rendered manifests (run
 *     in the chart's directory); empty for none
 */
public record RenderRequest(
    String releaseName,
    String namespace,
    Path chart,
    List<Path> valuesFiles,
    String kubeVersion,
    List<String> postRenderer) {

  /** The Kubernetes version assumed when a request names none. */
  public static final String DEFAULT_KUBE_VERSION = "1.31.0";

  public RenderRequest {
    requireText(releaseName, "releaseName");
    requireText(namespace, "namespace");
    Objects.requireNonNull(chart, "chart");
    valuesFiles = List.copyOf(Objects.requireNonNull(valuesFiles, "valuesFiles"));
    postRenderer = List.copyOf(Objects.requireNonNull(postRenderer, "postRenderer"));
    kubeVersion =
        kubeVersion == null || kubeVersion.isBlank() ? DEFAULT_KUBE_VERSION : kubeVersion.strip();
  }

  /** A request without a post-renderer. */
  public RenderRequest(
      String releaseName,
      String namespace,
      Path chart,
      List<Path> valuesFiles,
      String kubeVersion) {
    this(releaseName, namespace, chart, valuesFiles, kubeVersion, List.of());
  }

  /** A request with the {@link #DEFAULT_KUBE_VERSION}. */
  public RenderRequest(String releaseName, String namespace, Path chart, List<Path> valuesFiles) {
    this(releaseName, namespace, chart, valuesFiles, null, List.of());
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
