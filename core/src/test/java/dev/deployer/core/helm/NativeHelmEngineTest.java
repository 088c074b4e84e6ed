package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class NativeHelmEngineTest {

  private final HelmEngine engine = NativeHelmEngine.shared();
  @TempDir Path work;

  @Test
  void theVersionsRecordedAtBuildAreTheLoadedLibrarysOwn() {
    // deployer version prints the recorded ones without loading the library: they must not lie.
    assertThat(NativeHelmEngine.builtVersion()).contains(engine.version());
  }

  @Test
  void laterValuesFileWinsAndMapsAreDeepMerged() {
    String manifest =
        engine.render(
            new RenderRequest(
                "shop",
                "payments",
                scenario("web"),
                List.of(scenario("values-1.yaml"), scenario("values-2.yaml"))));

    assertThat(manifest)
        .contains(
            """
            ---
            # Source: web/templates/deployment.yaml
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: shop-web
              namespace: payments
              labels:
                team: "checkout"
                tier: "frontend"
                kube-version: "v1.31.0"
            spec:
              replicas: 3
            """)
        // image.repository from the chart, image.tag from the first file, pullPolicy from the last
        .contains("image: \"nginx:1.28\"", "imagePullPolicy: Always");
  }

  @Test
  void kubeVersionReachesTheChartCapabilities() {
    String manifest =
        engine.render(new RenderRequest("shop", "payments", scenario("web"), List.of(), "1.29.4"));

    assertThat(manifest).contains("kube-version: \"v1.29.4\"");
  }

  @Test
  void hooksArePrintedAfterTheOtherResourcesAsHelmTemplateDoes() {
    String manifest =
        engine.render(new RenderRequest("shop", "payments", scenario("web"), List.of()));

    assertThat(sources(manifest))
        .containsExactly(
            "web/templates/configmap.yaml",
            "web/templates/deployment.yaml",
            "web/templates/hook-job.yaml");
    assertThat(manifest)
        .contains(
            """
            ---
            # Source: web/templates/hook-job.yaml
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: shop-migrate
              annotations:
                helm.sh/hook: pre-upgrade
            """)
        // helm template prints each hook as its manifest and a newline: a blank line ends it.
        .endsWith("image: busybox\n\n");
  }

  @Test
  void hookAnnotationsComingFromValuesMakeAHookToo() {
    String manifest =
        engine.render(
            new RenderRequest(
                "shop", "payments", scenario("web"), List.of(scenario("values-hook.yaml"))));

    assertThat(sources(manifest))
        .containsExactly(
            "web/templates/deployment.yaml",
            "web/templates/configmap.yaml",
            "web/templates/hook-job.yaml");
    assertThat(manifest).contains("helm.sh/hook: post-install", "helm.sh/hook-weight: \"5\"");
  }

  @Test
  void crdsDirectoryIsLeftOutAsHelmTemplateDoesByDefault() {
    String manifest =
        engine.render(new RenderRequest("shop", "payments", scenario("web"), List.of()));

    assertThat(manifest).doesNotContain("CustomResourceDefinition");
  }

  @Test
  void packagedChartRendersLikeItsDirectory() {
    engine.packageChart(scenario("web"), work);
    Path archive = work.resolve("web-1.2.3.tgz");
    List<Path> values = List.of(scenario("values-1.yaml"));

    String fromArchive = engine.render(new RenderRequest("a", "b", archive, values));
    String fromDirectory = engine.render(new RenderRequest("a", "b", scenario("web"), values));

    assertThat(fromArchive).isEqualTo(fromDirectory).contains("helm.sh/hook: pre-upgrade");
  }

  @Test
  void hooksOfPackagedSubchartsAreIncluded() throws IOException {
    Path parent = TestCharts.write(work, "shop", "0.1.0", "parent");
    Files.writeString(
        parent.resolve("Chart.yaml"),
        "dependencies:\n  - name: web\n    version: 1.2.3\n",
        java.nio.file.StandardOpenOption.APPEND);
    engine.packageChart(scenario("web"), parent.resolve("charts"));
    engine.packageChart(parent, work);

    String manifest =
        engine.render(new RenderRequest("r", "ns", work.resolve("shop-0.1.0.tgz"), List.of()));

    assertThat(sources(manifest))
        .containsExactly(
            "shop/charts/web/templates/configmap.yaml",
            "shop/templates/configmap.yaml",
            "shop/charts/web/templates/deployment.yaml",
            "shop/charts/web/templates/hook-job.yaml");
  }

  @Test
  void renderErrorCarriesHelmsMessageWithTheTemplateLocation() {
    assertThatThrownBy(
            () -> engine.render(new RenderRequest("api", "shop", scenario("broken"), List.of())))
        .isInstanceOfSatisfying(
            RenderException.class,
            e -> {
              assertThat(e.releaseName()).isEqualTo("api");
              assertThat(e.helmMessage())
                  // Helm 4 lays the template error out over lines: location, then what failed.
                  .startsWith("broken/templates/configmap.yaml:12:18")
                  .contains("<.Values.database.host>", "nil pointer evaluating")
                  .doesNotContain("--debug", "deployer-render-");
            })
        .hasMessageStartingWith("release api: cannot render chart " + scenario("broken") + ": ");
  }

  /**
   * As {@code helm template}: {@code lookup} finds nothing, so a chart falls back to its default.
   */
  @Test
  void lookupFindsNothingAndNoClusterIsContacted() throws IOException {
    Path chart = TestCharts.write(work, "db", "1.0.0", "m");
    Files.writeString(
        chart.resolve("templates/secret.yaml"),
        """
        {{- $live := lookup "v1" "Secret" .Release.Namespace "db-auth" }}
        apiVersion: v1
        kind: Secret
        metadata: {name: db-auth}
        data:
          password: {{ if $live }}{{ index $live.data "password" }}{{ else }}{{ "generated" | b64enc }}{{ end }}
          found: {{ if $live }}{{ "yes" | b64enc }}{{ else }}{{ "no" | b64enc }}{{ end }}
        """);

    String manifest = engine.render(new RenderRequest("db", "shop", chart, List.of()));

    assertThat(manifest).contains("password: Z2VuZXJhdGVk", "found: bm8=");
  }

  @Test
  void missingChartIsARenderError() {
    Path missing = work.resolve("nope");

    assertThatThrownBy(() -> engine.render(new RenderRequest("api", "shop", missing, List.of())))
        .isInstanceOf(RenderException.class)
        .hasMessage(
            "release api: cannot render chart " + missing + ": chart not found: " + missing);
  }

  /**
   * Each call gets its own Helm configuration: four threads at once each get their own manifest.
   */
  @Test
  void rendersDifferentChartsFromFourThreadsAtOnce() throws Exception {
    int threads = 4;
    List<Path> charts = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      charts.add(TestCharts.write(work, "app" + i, "1.0." + i, "marker-" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < threads; i++) {
          Path chart = charts.get(i);
          String release = "r" + round;
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return engine.render(new RenderRequest(release, "ns", chart, List.of()));
                  }));
        }
      }
      start.countDown();
      for (int n = 0; n < results.size(); n++) {
        int i = n % threads;
        assertThat(results.get(n).get())
            .contains("name: app" + i + "-r" + (n / threads), "marker: \"marker-" + i + "\"")
            .containsOnlyOnce("marker: ");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> sources(String manifest) {
    return manifest
        .lines()
        .filter(l -> l.startsWith("# Source: "))
        .map(l -> l.substring("# Source: ".length()))
        .toList();
  }

  static Path scenario(String name) {
    try {
      return Path.of(NativeHelmEngineTest.class.getResource("/render/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
