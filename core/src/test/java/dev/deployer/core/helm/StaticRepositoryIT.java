package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.chart.ChartAuthenticationException;
import dev.deployer.core.chart.ChartFetchException;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.FetchedChart;
import dev.deployer.core.chart.HelmRepository;
import dev.deployer.core.chart.RemoteAccess;
import dev.deployer.core.chart.StaticChartRepository;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written index on {@link StaticChartRepository}: relative chart URLs (one reaching out of
 * the repository's directory), basic authentication and an index digest that does not match the
 * archive.
 */
@Timeout(60)
class StaticRepositoryIT {

  private static final String AUTHORIZATION = StaticChartRepository.basic("deployer", "s3cret");

  @TempDir Path work;
  @TempDir Path target;
  private StaticChartRepository server;
  private URI repositoryUrl;
  private Path packaged;

  @BeforeEach
  void startServer() {
    packaged = TestCharts.packageChart(work, "web", "1.4.0", work.resolve("packages"));
    String digest = TestCharts.sha256(packaged).substring("sha256:".length());
    server =
        StaticChartRepository.start("deployer", "s3cret")
            .file("/repo/stable/web-1.4.0.tgz", packaged)
            .file("/repo/other/web-1.5.0.tgz", packaged)
            .file(
                "/repo/stable/index.yaml",
                """
                apiVersion: v1
                entries:
                  web:
                    - name: web
                      version: 1.5.0
                      urls: [../other/web-1.5.0.tgz]
                      digest: 0000000000000000000000000000000000000000000000000000000000000000
                    - name: web
                      version: 1.4.0
                      urls: [web-1.4.0.tgz]
                      digest: %s
                    - name: web
                      version: not-semver
                      urls: [web-x.tgz]
                """
                    .formatted(digest));
    repositoryUrl = server.url("/repo/stable");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void relativeChartUrlIsResolvedAgainstTheRepositoryUrlAndCredentialsAreSent() {
    FetchedChart fetched = fetcher().fetch(chart("~1.4", "deployer", "s3cret"), target);

    assertThat(fetched.version()).isEqualTo("1.4.0");
    assertThat(fetched.source()).isEqualTo(URI.create(repositoryUrl + "/web-1.4.0.tgz"));
    assertThat(fetched.digest()).isEqualTo(TestCharts.sha256(packaged));
    assertThat(server.authorizationSeen())
        .containsEntry("/repo/stable/index.yaml", AUTHORIZATION)
        .containsEntry("/repo/stable/web-1.4.0.tgz", AUTHORIZATION);
  }

  @Test
  void archiveWhoseDigestDiffersFromTheIndexIsRejected() {
    assertThatThrownBy(() -> fetcher().fetch(chart("1.5.0", "deployer", "s3cret"), target))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("test/web 1.5.0: downloaded archive has digest sha256:")
        .hasMessageContaining("but the repository index says sha256:0000");
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> fetcher().fetch(chart("", "deployer", "nope"), target))
        .isInstanceOf(ChartAuthenticationException.class)
        .hasMessage(
            "credentials refused by http://127.0.0.1:%d (HTTP 401) for %s/index.yaml",
            server.port(), repositoryUrl);
  }

  private ChartFetcher fetcher() {
    return new ChartFetcher();
  }

  private ChartReference chart(String constraint, String username, String password) {
    return new ChartReference.Repo(
        new HelmRepository("test", repositoryUrl, RemoteAccess.basic(username, password)),
        "web",
        constraint);
  }
}
