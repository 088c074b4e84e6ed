package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.chart.ChartFetchException;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.FetchedChart;
import dev.deployer.core.chart.HelmRepository;
import dev.deployer.core.chart.RemoteAccess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A repository over HTTPS: a private CA, insecure_skip_tls_verify, client certificates. */
@Timeout(60)
class TlsRepositoryIT {

  @TempDir Path work;
  @TempDir Path target;
  private MockWebServer server;
  private HeldCertificate ca;
  private Path caFile;
  private Path packaged;

  @BeforeEach
  void startServer() throws IOException {
    ca = new HeldCertificate.Builder().certificateAuthority(0).commonName("test CA").build();
    HeldCertificate serverCertificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("localhost").signedBy(ca).build();
    caFile = Files.writeString(work.resolve("ca.pem"), ca.certificatePem());
    packaged = TestCharts.packageChart(work, "web", "1.0.0", work.resolve("packages"));
    byte[] archive = Files.readAllBytes(packaged);

    server = new MockWebServer();
    server.useHttps(
        new HandshakeCertificates.Builder()
            .heldCertificate(serverCertificate)
            .addTrustedCertificate(ca.certificate())
            .build()
            .sslSocketFactory(),
        false);
    server.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return switch (request.getPath()) {
              case "/index.yaml" ->
                  new MockResponse()
                      .setBody(
                          "apiVersion: v1\nentries:\n  web:\n"
                              + "    - {name: web, version: 1.0.0, urls: [web-1.0.0.tgz]}\n");
              case "/web-1.0.0.tgz" -> new MockResponse().setBody(new Buffer().write(archive));
              default -> new MockResponse().setResponseCode(404);
            };
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() throws IOException {
    server.shutdown();
  }

  @Test
  void certificateFromAnUnknownCaIsRefused() {
    assertThatThrownBy(() -> fetch(RemoteAccess.anonymous()))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("cannot read the index of repository tls at https://localhost:")
        .hasMessageContaining("PKIX path building failed");
  }

  @Test
  void caFileMakesTheServerTrusted() {
    FetchedChart fetched = fetch(new RemoteAccess(null, null, caFile, null, null, false));

    assertThat(fetched.digest()).isEqualTo(TestCharts.sha256(packaged));
  }

  @Test
  void insecureSkipTlsVerifyTrustsAnyCertificate() {
    FetchedChart fetched = fetch(new RemoteAccess(null, null, null, null, null, true));

    assertThat(fetched.version()).isEqualTo("1.0.0");
  }

  @Test
  void clientCertificateIsPresentedWhenTheServerAsksForOne() throws Exception {
    server.requireClientAuth();
    HeldCertificate client =
        new HeldCertificate.Builder().commonName("deployer").signedBy(ca).build();
    Path certFile = Files.writeString(work.resolve("client.pem"), client.certificatePem());
    Path keyFile = Files.writeString(work.resolve("client.key"), client.privateKeyPkcs8Pem());

    FetchedChart fetched = fetch(new RemoteAccess(null, null, caFile, certFile, keyFile, false));

    assertThat(fetched.version()).isEqualTo("1.0.0");
    assertThat(server.takeRequest().getHandshake().peerPrincipal().getName())
        .isEqualTo("CN=deployer");
  }

  @Test
  void pkcs1KeyIsRefusedWithHowToConvertIt() throws IOException {
    HeldCertificate client = new HeldCertificate.Builder().rsa2048().signedBy(ca).build();
    Path certFile = Files.writeString(work.resolve("client.pem"), client.certificatePem());
    Path keyFile = Files.writeString(work.resolve("client.key"), client.privateKeyPkcs1Pem());

    assertThatThrownBy(() -> fetch(new RemoteAccess(null, null, caFile, certFile, keyFile, false)))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("must hold a PKCS#8 key (BEGIN PRIVATE KEY)")
        .hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }

  private FetchedChart fetch(RemoteAccess access) {
    URI url = URI.create("https://localhost:" + server.getPort() + "/");
    return new ChartFetcher()
        .fetch(new ChartReference.Repo(new HelmRepository("tls", url, access), "web", ""), target);
  }
}
