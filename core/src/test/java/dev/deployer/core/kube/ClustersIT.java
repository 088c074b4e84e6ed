package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.kube.fixture.KubeFixture;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

class ClustersIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  @TempDir Path directory;
  private Path kubeconfig;

  /**
   * Two contexts on the fixture (namespaces {@code default} and {@code shop}) and a current context
   * whose server nothing listens on: whoever ignores the chosen context fails.
   */
  @BeforeEach
  void writeKubeconfig() throws IOException {
    kube.createNamespace("shop");
    kubeconfig = directory.resolve("config");
    Files.writeString(
        kubeconfig,
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fixture
          cluster:
            server: %s
        - name: nowhere
          cluster:
            server: http://127.0.0.1:1
        users:
        - name: tester
          user:
            token: deployer-fixture-token
        contexts:
        - name: alpha
          context: {cluster: fixture, user: tester}
        - name: beta
          context: {cluster: fixture, user: tester, namespace: shop}
        - name: offline
          context: {cluster: nowhere, user: tester}
        current-context: offline
        """
            .formatted(kube.url()));
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void listsContextsAndResolvesTheCurrentOne() {
    try (Clusters clusters = new Clusters(List.of(kubeconfig))) {
      assertThat(clusters.contextNames()).containsExactly("alpha", "beta", "offline");
      assertThat(clusters.contextName(Optional.empty())).isEqualTo("offline");
      assertThat(clusters.contextName(Optional.of("beta"))).isEqualTo("beta");
      assertThat(clusters.contextNamespace(Optional.of("beta"))).contains("shop");
      assertThat(clusters.contextNamespace(Optional.of("alpha"))).isEmpty();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void clientTalksToTheChosenContextAndIsMadeOncePerContext() {
    try (Clusters clusters = new Clusters(List.of(kubeconfig))) {
      var beta = clusters.client(Optional.of("beta"));
      assertThat(beta.getNamespace()).isEqualTo("shop");
      assertThat(beta.getConfiguration().getRequestRetryBackoffLimit()).isZero();
      assertThat(beta.namespaces().withName("shop").get()).isNotNull();
      assertThat(clusters.client(Optional.of("beta"))).isSameAs(beta);
      assertThat(clusters.client(Optional.of("alpha"))).isNotSameAs(beta);
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void kubeconfigContentsHoldOnlyTheChosenContextAsCurrent() {
    try (Clusters clusters = new Clusters(List.of(kubeconfig))) {
      String contents = clusters.kubeconfigContents(Optional.of("alpha"));

      Map<?, ?> parsed =
          (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(contents);
      assertThat(parsed.get("current-context")).isEqualTo("alpha");
      assertThat((List<?>) parsed.get("contexts")).hasSize(1);
      assertThat((List<?>) parsed.get("clusters")).hasSize(1);
      assertThat(contents).contains(kube.url()).doesNotContain("127.0.0.1:1\n");
      // The engine reaches the fixture although the file's own current context is unreachable.
      assertThat(
              dev.deployer.core.helm.NativeHelmEngine.shared()
                  .history(new dev.deployer.core.helm.ReleaseRef(contents, "default", "none")))
          .isEmpty();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void unknownContextNamesTheKnownOnes() {
    try (Clusters clusters = new Clusters(List.of(kubeconfig))) {
      assertThatThrownBy(() -> clusters.client(Optional.of("prod-eu")))
          .isInstanceOf(KubeConfigException.class)
          .hasMessageContaining("'prod-eu'")
          .hasMessageContaining("alpha, beta, offline")
          .hasMessageContaining(kubeconfig.toString());
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void noKubeconfigIsAClearError() {
    Clusters clusters = Clusters.fromEnvironment(Map.of("HOME", directory.toString()));
    assertThat(clusters.kubeconfigFiles())
        .containsExactly(directory.resolve(".kube").resolve("config"));
    assertThatThrownBy(() -> clusters.kubeconfigContents(Optional.empty()))
        .isInstanceOf(KubeConfigException.class)
        .hasMessageContaining("no kubeconfig")
        .hasMessageContaining(".kube/config");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void mergesKubeconfigFilesAndMakesTheirPathsAbsolute() throws IOException {
    Path other = Files.createDirectories(directory.resolve("other")).resolve("config");
    Files.writeString(
        other,
        """
        clusters:
        - name: tls
          cluster: {server: 'https://cluster.invalid', certificate-authority: certs/ca.crt}
        - name: fixture
          cluster: {server: 'https://shadowed.invalid'}
        users:
        - name: cert-user
          user: {client-certificate: certs/me.crt, client-key: /abs/me.key}
        contexts:
        - name: secure
          context: {cluster: tls, user: cert-user}
        current-context: secure
        """);
    Clusters clusters =
        Clusters.fromEnvironment(
            Map.of("KUBECONFIG", kubeconfig + File.pathSeparator + other, "HOME", "/nowhere"));

    assertThat(clusters.contextNames()).containsExactly("alpha", "beta", "offline", "secure");
    // The first file that sets a current context, or defines a name, wins.
    assertThat(clusters.contextName(Optional.empty())).isEqualTo("offline");
    assertThat(clusters.kubeconfigContents(Optional.of("alpha"))).contains(kube.url());
    String secure = clusters.kubeconfigContents(Optional.of("secure"));
    assertThat(secure)
        .contains("certificate-authority: " + other.getParent().resolve("certs/ca.crt"))
        .contains("client-certificate: " + other.getParent().resolve("certs/me.crt"))
        .contains("client-key: /abs/me.key");
  }
}
