package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.deployer.core.chart.ChartAuthenticationException;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.chart.ChartNotFoundException;
import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.FetchedChart;
import dev.deployer.core.chart.NoMatchingVersionException;
import dev.deployer.core.chart.RemoteAccess;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * Fetching from an OCI registry: distribution's registry (in memory, htpasswd auth, plain HTTP on
 * 127.0.0.1) in the Go test program {@code core/src/test/go/ociregistry}, which pushes the packaged
 * charts with Helm's own registry client before it reports ready. The program keeps its registry
 * login in a file of its own, so neither the user's Helm nor Docker configuration is touched.
 */
@Timeout(90)
class OciRegistryFetchIT {

  @TempDir static Path work;
  private static HelmTestServers.OciRegistry server;
  private static String registry;
  private static final String PASSWORD = UUID.randomUUID().toString();
  private static Path pushedLatest;
  private static String skipped;

  @TempDir Path target;
  private final ChartFetcher fetcher = new ChartFetcher();

  @BeforeAll
  static void startRegistryAndPush() {
    Path packages = work.resolve("packages");
    List<String> versions = List.of("1.0.0", "1.1.0", "1.1.1+build.7", "2.0.0-beta.1");
    for (String version : versions) {
      Path archive = TestCharts.packageChart(work, "web", version, packages);
      if (version.startsWith("1.1.1")) {
        pushedLatest = archive;
      }
    }
    try {
      server = HelmTestServers.registry("deployer", PASSWORD, packages + "/*.tgz");
    } catch (TestAbortedException e) {
      // Skip each test, not just the class: a skipped class is not counted in Maven's summary.
      skipped = e.getMessage();
      return;
    }
    registry = server.host();
    assertThat(server.pushed())
        .as("charts pushed; the registry program logged:%n%s", server.logTail())
        .containsOnlyKeys(
            versions.stream()
                .map(v -> "oci://" + registry + "/charts/web:" + v.replace('+', '_'))
                .toList());
    assertThat(server.pushed())
        .containsEntry(
            "oci://" + registry + "/charts/web:1.1.1_build.7", TestCharts.sha256(pushedLatest));
  }

  @BeforeEach
  void skipWithoutTheRegistry() {
    assumeTrue(skipped == null, skipped);
  }

  @AfterAll
  static void stopRegistry() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void rangeResolvesToTheHighestStableVersionAndTheDigestIsTheArchives() {
    FetchedChart fetched = fetcher.fetch(web("^1.0.0", credentials()), target);

    assertThat(fetched.name()).isEqualTo("web");
    assertThat(fetched.version()).isEqualTo("1.1.1+build.7");
    assertThat(fetched.archive()).isEqualTo(target.resolve("web-1.1.1+build.7.tgz"));
    assertThat(fetched.digest())
        .isEqualTo(TestCharts.sha256(fetched.archive()))
        .isEqualTo(TestCharts.sha256(pushedLatest));
    assertThat(fetched.source())
        .isEqualTo(URI.create("oci://" + registry + "/charts/web:1.1.1_build.7"));
  }

  @Test
  void tagInTheReferenceIsTheVersionWhenNoneIsGiven() {
    FetchedChart fetched =
        fetcher.fetch(
            new ChartReference.Oci(
                URI.create("oci://" + registry + "/charts/web:1.0.0"), "", credentials()),
            target);

    assertThat(fetched.version()).isEqualTo("1.0.0");
  }

  @Test
  void fetchedArchiveRendersWithTheEngine() {
    FetchedChart fetched = fetcher.fetch(web("1.1.0", credentials()), target);

    assertThat(
            NativeHelmEngine.shared()
                .render(new RenderRequest("r", "ns", fetched.archive(), List.of())))
        .contains("marker: \"web@1.1.0\"");
  }

  @Test
  void noMatchingVersionListsWhatThereIs() {
    assertThatThrownBy(() -> fetcher.fetch(web(">=3.0.0", credentials()), target))
        .isInstanceOf(NoMatchingVersionException.class)
        .hasMessage(
            "chart oci://%s/charts/web has no version matching '>=3.0.0'; available:"
                + " 2.0.0-beta.1, 1.1.1+build.7, 1.1.0, 1.0.0",
            registry);
  }

  @Test
  void unknownChartIsReported() {
    assertThatThrownBy(
            () ->
                fetcher.fetch(
                    new ChartReference.Oci(
                        URI.create("oci://" + registry + "/charts/api"), "", credentials()),
                    target))
        .isInstanceOf(ChartNotFoundException.class)
        .hasMessage("chart oci://%s/charts/api not found in the registry", registry);
  }

  @Test
  void missingCredentialsAreAnAuthenticationFailure() {
    assertThatThrownBy(() -> fetcher.fetch(web("", RemoteAccess.anonymous()), target))
        .isInstanceOfSatisfying(
            ChartAuthenticationException.class, e -> assertThat(e.status()).isEqualTo(401))
        .hasMessageStartingWith("credentials required by http://" + registry);
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> fetcher.fetch(web("", RemoteAccess.basic("deployer", "x")), target))
        .isInstanceOf(ChartAuthenticationException.class)
        .hasMessageStartingWith("credentials refused by http://" + registry);
  }

  private static ChartReference web(String constraint, RemoteAccess access) {
    return new ChartReference.Oci(
        URI.create("oci://" + registry + "/charts/web"), constraint, access);
  }

  private static RemoteAccess credentials() {
    return RemoteAccess.basic("deployer", PASSWORD);
  }
}
