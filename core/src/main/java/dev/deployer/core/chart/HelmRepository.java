package dev.deployer.core.chart;

import java.net.URI;
import java.util.Objects;

/**
 * A classic Helm chart repository: a web server with an {@code index.yaml}.
 *
 * @param name the name a plan uses in chart references ({@code name/chart})
 * @param url the repository's base URL; {@code index.yaml} is read next to it
 */
public record HelmRepository(String name, URI url, RemoteAccess access) {

  public HelmRepository {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(access, "access");
    String scheme = url.getScheme();
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(
          "repository " + name + ": url must be http or https: " + url);
    }
  }

  /** A repository reached anonymously. */
  public HelmRepository(String name, URI url) {
    this(name, url, RemoteAccess.anonymous());
  }
}
