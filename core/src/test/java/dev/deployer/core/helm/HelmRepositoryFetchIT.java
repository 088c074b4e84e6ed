package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.chart.ChartAuthenticationException;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.chart.ChartNotFoundException;
import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.FetchedChart;
import dev.deployer.core.chart.HelmRepository;
import dev.deployer.core.chart.NoMatchingVersionException;
import dev.deployer.core.chart.RemoteAccess;
import dev.deployer.core.chart.StaticChartRepository;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Fetching from a classic chart repository: {@link StaticChartRepository} serving packaged charts
 * and an index.yaml like the one {@code helm repo index --url} writes (absolute chart URLs,
 * digests, creation times). One repository is open to anyone, the other wants a username and
 * password. {@link StaticRepositoryIT} covers relative chart URLs and index digests that do not
 * match.
 */
@Timeout(60)
class HelmRepositoryFetchIT {

  private static final List<String> VERSIONS =
      List.of("1.0.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0", "2.1.0-rc.1");

  @TempDir static Path work;
  private static Path packages;
  private static StaticChartRepository open;
  private static StaticChartRepository locked;
  private static String openUrl;
  private static String lockedUrl;

  @TempDir Path target;
  private final ChartFetcher fetcher = new ChartFetcher();

  @BeforeAll
  static void startRepositories() {
    packages = work.resolve("packages");
    List<Path> archives = new ArrayList<>();
    for (String version : VERSIONS) {
      archives.add(TestCharts.packageChart(work, "web", version, packages));
    }
    open = StaticChartRepository.start().charts("/", archives);
    locked = StaticChartRepository.start("deployer", "s3cret").charts("/", archives);
    openUrl = open.url().toString();
    lockedUrl = locked.url().toString();
  }

  @AfterAll
  static void stopRepositories() {
    if (open != null) {
      open.close();
    }
    if (locked != null) {
      locked.close();
    }
  }

  @ParameterizedTest(name = "''{0}'' resolves to {1}")
  @CsvSource({
    "'', 2.0.0",
    "1.2.0, 1.2.0",
    "~1.2, 1.2.5",
    "^1.2.0, 1.3.0",
    "'>=1.0.0 <2.0.0', 1.3.0",
    "'>=1.0.0, <1.3.0', 1.2.5",
    "1.x, 1.3.0",
    "2.1.0-rc.1, 2.1.0-rc.1",
  })
  void resolvesTheConstraintAndPinsTheExactVersion(String constraint, String expected) {
    FetchedChart fetched = fetcher.fetch(chart(openUrl, "web", constraint, anonymous()), target);

    assertThat(fetched.name()).isEqualTo("web");
    assertThat(fetched.version()).isEqualTo(expected);
    assertThat(fetched.archive()).isEqualTo(target.resolve("web-" + expected + ".tgz"));
    assertThat(fetched.source().toString()).startsWith(openUrl).endsWith(".tgz");
  }

  @Test
  void digestIsTheSha256OfTheDownloadedArchiveAndOfThePackagedChart() {
    FetchedChart fetched = fetcher.fetch(chart(openUrl, "web", "^1.0.0", anonymous()), target);

    assertThat(fetched.digest())
        .matches("sha256:[0-9a-f]{64}")
        .isEqualTo(TestCharts.sha256(fetched.archive()))
        .isEqualTo(TestCharts.sha256(packages.resolve("web-1.3.0.tgz")));
    assertThat(target).isDirectoryNotContaining("glob:**.part");
  }

  @Test
  void fetchedArchiveRendersWithTheEngine() {
    FetchedChart fetched = fetcher.fetch(chart(openUrl, "web", "1.2.0", anonymous()), target);

    String manifest =
        NativeHelmEngine.shared()
            .render(new RenderRequest("r1", "ns1", fetched.archive(), List.of(), null));

    assertThat(manifest).contains("name: web-r1", "marker: \"web@1.2.0\"");
  }

  @Test
  void unknownChartIsReportedWithTheChartsTheRepositoryHas() {
    assertThatThrownBy(() -> fetcher.fetch(chart(openUrl, "api", "", anonymous()), target))
        .isInstanceOf(ChartNotFoundException.class)
        .hasMessageContaining("chart test/api not found in repository test")
        .hasMessageContaining("it has web");
  }

  @Test
  void noMatchingVersionListsTheAvailableVersionsNewestFirst() {
    assertThatThrownBy(() -> fetcher.fetch(chart(openUrl, "web", "^3.0.0", anonymous()), target))
        .isInstanceOfSatisfying(
            NoMatchingVersionException.class,
            e -> {
              assertThat(e.availableVersions())
                  .containsExactly("2.1.0-rc.1", "2.0.0", "1.3.0", "1.2.5", "1.2.0", "1.0.0");
              assertThat(e.getMessage())
                  .isEqualTo(
                      "chart test/web has no version matching '^3.0.0'; available:"
                          + " 2.1.0-rc.1, 2.0.0, 1.3.0, 1.2.5, 1.2.0, 1.0.0");
            });
  }

  @Test
  void missingCredentialsAreReportedAsAuthenticationFailure() {
    assertThatThrownBy(() -> fetcher.fetch(chart(lockedUrl, "web", "", anonymous()), target))
        .isInstanceOfSatisfying(
            ChartAuthenticationException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageStartingWith("credentials required by " + lockedUrl + " (HTTP 401)");
  }

  @Test
  void wrongPasswordIsReportedAsAuthenticationFailure() {
    assertThatThrownBy(
            () ->
                fetcher.fetch(
                    chart(lockedUrl, "web", "", RemoteAccess.basic("deployer", "wrong")), target))
        .isInstanceOf(ChartAuthenticationException.class)
        .hasMessageStartingWith("credentials refused by " + lockedUrl + " (HTTP 401)");
  }

  @Test
  void acceptedCredentialsDownloadTheChartFromTheLockedRepository() {
    FetchedChart fetched =
        fetcher.fetch(
            chart(lockedUrl, "web", "~1.2", RemoteAccess.basic("deployer", "s3cret")), target);

    assertThat(fetched.version()).isEqualTo("1.2.5");
    assertThat(fetched.source()).isEqualTo(URI.create(lockedUrl + "/web-1.2.5.tgz"));
    assertThat(fetched.digest()).isEqualTo(TestCharts.sha256(packages.resolve("web-1.2.5.tgz")));
    assertThat(locked.authorizationSeen())
        .containsEntry("/index.yaml", StaticChartRepository.basic("deployer", "s3cret"))
        .containsEntry("/web-1.2.5.tgz", StaticChartRepository.basic("deployer", "s3cret"));
  }

  private static ChartReference chart(
      String url, String name, String constraint, RemoteAccess access) {
    return new ChartReference.Repo(
        new HelmRepository("test", URI.create(url), access), name, constraint);
  }

  private static RemoteAccess anonymous() {
    return RemoteAccess.anonymous();
  }
}
