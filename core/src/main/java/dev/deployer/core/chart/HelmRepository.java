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

  /**
   * Parses a repository's URL as a plan writes it.
   *
   * @throws IllegalArgumentException with a message fit for a user when it is not an http(s) URL
   */
  public static URI url(String text) {
    URI url;
    try {
      url = new URI(text);
    } catch (java.net.URISyntaxException e) {
      throw notHttp(text);
    }
    if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())
        || url.getHost() == null) {
      throw notHttp(text);
    }
    return url;
  }

  private static IllegalArgumentException notHttp(String text) {
    return new IllegalArgumentException("\"" + text + "\" is not an http(s) URL");
  }

  /** A repository reached anonymously. */
  public HelmRepository(String name, URI url) {
    this(name, url, RemoteAccess.anonymous());
  }
}
