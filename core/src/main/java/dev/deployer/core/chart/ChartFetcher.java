package dev.deployer.core.chart;

import dev.deployer.core.http.HttpClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;

/**
 * Downloads packaged charts for vendoring and pins them: exact version and {@code sha256:} digest
 * of the archive. Classic Helm repositories are read through their {@code index.yaml}; OCI
 * registries through the distribution API. No Helm configuration (repositories.yaml, registry
 * logins) is read or written. Safe for concurrent use; one instance shares its connections.
 */
public final class ChartFetcher {

  private final Duration connectTimeout;
  private final Duration readTimeout;
  // Made on the first remote chart: a plan of local charts never starts an HTTP client or TLS.
  private HelmRepositoryClient repositories;
  private OciRegistryClient registries;

  public ChartFetcher() {
    this(Duration.ofSeconds(15), Duration.ofSeconds(60));
  }

  /**
   * @param connectTimeout how long to wait for a connection
   * @param readTimeout how long a read may wait for the next bytes
   */
  public ChartFetcher(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
    this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
  }

  private synchronized void clients() {
    if (repositories == null) {
      OkHttpClient base =
          HttpClients.builder("deployer-chart-http", connectTimeout, readTimeout)
              .retryOnConnectionFailure(true)
              .build();
      repositories = new HelmRepositoryClient(base);
      registries = new OciRegistryClient(base);
    }
  }

  /**
   * Downloads the chart into {@code targetDir} as {@code <name>-<version>.tgz}, replacing a file of
   * that name only once the download is complete.
   *
   * @throws ChartNotFoundException when the repository or registry has no such chart
   * @throws NoMatchingVersionException when no version satisfies the constraint
   * @throws ChartAuthenticationException when credentials are missing or refused
   * @throws ChartFetchException on any other failure
   */
  public FetchedChart fetch(ChartReference chart, Path targetDir) {
    Objects.requireNonNull(targetDir, "targetDir");
    clients();
    if (chart instanceof ChartReference.Repo repo) {
      return repositories.fetch(repo, targetDir);
    }
    return registries.fetch((ChartReference.Oci) chart, targetDir);
  }
}
