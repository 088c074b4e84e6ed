package dev.deployer.core.chart;

import java.net.URI;
import java.util.Objects;

/**
 * A remote chart to fetch, with a version constraint: an exact version ({@code 1.2.3}), a semver
 * range ({@code ^1.2.0}, {@code ~1.2}, {@code >=1.0.0 <2.0.0}, {@code 1.x}) or empty for the latest
 * stable version.
 */
public sealed interface ChartReference permits ChartReference.Repo, ChartReference.Oci {

  /** The version constraint; empty means the latest stable version. */
  String version();

  /** A chart in a classic Helm repository ({@code repoName/chart}). */
  record Repo(HelmRepository repository, String chart, String version) implements ChartReference {
    public Repo {
      Objects.requireNonNull(repository, "repository");
      if (chart == null || chart.isBlank() || chart.contains("/")) {
        throw new IllegalArgumentException("chart must be a plain chart name: " + chart);
      }
      version = version == null ? "" : version.strip();
    }
  }

  /**
   * A chart in an OCI registry, {@code oci://host[:port]/path/chart}. A tag in the reference
   * ({@code .../chart:1.2.3}) is used when {@code version} is empty. {@code localhost} and {@code
   * 127.0.0.1} registries are reached over plain HTTP, all others over HTTPS.
   */
  record Oci(URI reference, String version, RemoteAccess access) implements ChartReference {
    /** What a tag may be, as the OCI distribution spec defines it. */
    private static final java.util.regex.Pattern TAG =
        java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");

    public Oci {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(access, "access");
      parse(reference.toString());
      version = version == null ? "" : version.strip();
    }

    /**
     * Parses {@code oci://host[:port]/path/chart[:tag]}.
     *
     * @throws IllegalArgumentException with a message fit for a user when it is not one
     */
    public static URI parse(String reference) {
      URI uri;
      try {
        uri = new URI(reference);
      } catch (java.net.URISyntaxException e) {
        throw invalid(reference);
      }
      String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("^/+|/+$", "");
      if (!"oci".equals(uri.getScheme())
          || uri.getRawAuthority() == null
          || uri.getHost() == null
          || uri.getRawQuery() != null
          || uri.getRawFragment() != null
          || path.isEmpty()) {
        throw invalid(reference);
      }
      String tag = tagOf(uri);
      if (path.endsWith(":") || !tag.isEmpty() && !TAG.matcher(tag).matches()) {
        throw invalid(reference);
      }
      return uri;
    }

    /** The tag a reference ends with ({@code .../chart:1.2.3}), or "" when it has none. */
    public static String tagOf(URI reference) {
      String path = reference.getPath().replaceAll("^/+|/+$", "");
      int slash = path.lastIndexOf('/');
      int colon = path.lastIndexOf(':');
      return colon > slash ? path.substring(colon + 1) : "";
    }

    private static IllegalArgumentException invalid(String reference) {
      return new IllegalArgumentException(
          "\""
              + reference
              + "\" is not an OCI chart reference; write it as oci://HOST[:PORT]/PATH/CHART, with"
              + " :VERSION at the end if you like");
    }
  }
}
