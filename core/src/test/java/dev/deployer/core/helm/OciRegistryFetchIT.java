package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching from an OCI registry: Helm's test registry (distribution, in memory, htpasswd auth)
 * started in-process, charts pushed with helm-java.
 *
 * <p>helm-java can push only after a registry login, which Helm records in its registry config
 * file; core/pom.xml points HELM_CONFIG_HOME at target/ so tests leave the user's home alone.
 * deployer's own fetching never reads or writes that file. helm-java cannot stop this registry: it
 * lives until the JVM exits.
 */
@Timeout(90)
class OciRegistryFetchIT {

  @TempDir static Path work;
  private static String registry;
  // A fresh password per run: the registry config keeps older logins for the same host.
  private static final String PASSWORD = UUID.randomUUID().toString();
  private static Path pushedLatest;

  @TempDir Path target;
  private final ChartFetcher fetcher = new ChartFetcher();

  @BeforeAll
  static void startRegistryAndPush() {
    registry = HelmTestServers.startRegistry("deployer", PASSWORD);
    Helm.registry()
        .login()
        .withHost(registry)
        .withUsername("deployer")
        .withPassword(PASSWORD)
        .call();
    Path packages = work.resolve("packages");
    for (String version : List.of("1.0.0", "1.1.0", "1.1.1+build.7", "2.0.0-beta.1")) {
      Path archive = TestCharts.packageChart(work, "web", version, packages);
      String pushed =
          Helm.push()
              .withChart(archive)
              .withRemote(URI.create("oci://" + registry + "/charts"))
              .call();
      assertThat(pushed).contains("Pushed: ");
      if (version.startsWith("1.1.1")) {
        pushedLatest = archive;
      }
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
            new HelmJavaEngine().render(new RenderRequest("r", "ns", fetched.archive(), List.of())))
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
