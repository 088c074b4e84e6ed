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
    public Oci {
      Objects.requireNonNull(reference, "reference");
      Objects.requireNonNull(access, "access");
      if (!"oci".equals(reference.getScheme())
          || reference.getAuthority() == null
          || reference.getPath() == null
          || reference.getPath().length() < 2) {
        throw new IllegalArgumentException(
            "OCI chart reference must look like oci://host[:port]/path/chart: " + reference);
      }
      version = version == null ? "" : version.strip();
    }
  }
}
