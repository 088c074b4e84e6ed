package dev.deployer.core.diff;

import java.util.Map;

/**
 * One Kubernetes object of a rendered manifest.
 *
 * @param content the parsed document, for redaction
 * @param text the document as rendered, without Helm's {@code # Source:} comment
 */
public record Resource(
    String kind, String namespace, String name, Map<String, Object> content, String text) {

  /** {@code Kind/namespace/name}: how resources are matched between two manifests. */
  public String key() {
    return kind + "/" + namespace + "/" + name;
  }

  public boolean isSecret() {
    return kind.equals("Secret");
  }
}
