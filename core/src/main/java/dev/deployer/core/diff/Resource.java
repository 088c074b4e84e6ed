package dev.deployer.core.diff;

import java.util.Map;

/**
 * One Kubernetes object of a rendered manifest.
 *
 * @param namespace empty for a cluster-scoped object
 * @param content the parsed document, for redaction
 * @param text the document as rendered, without Helm's {@code # Source:} comment
 */
public record Resource(
    String kind, String namespace, String name, Map<String, Object> content, String text) {

  /**
   * {@code Kind/namespace/name}, or {@code Kind/name} for a cluster-scoped object: how resources
   * are matched between two manifests.
   */
  public String key() {
    return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }

  /** Whether Helm creates it as a hook rather than as a resource of the release. */
  public boolean isHook() {
    return Manifests.map(Manifests.map(content.get("metadata")).get("annotations"))
        .containsKey("helm.sh/hook");
  }

  /** Whether it is a Helm test hook, which {@code helm test} runs. */
  public boolean isTestHook() {
    return Manifests.isTestHook(content);
  }

  public boolean isSecret() {
    return kind.equals("Secret");
  }
}
