package dev.deployer.core.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpClientsTest {

  @TempDir Path dir;

  private final OkHttpClient base =
      HttpClients.builder("test-http", Duration.ofSeconds(1), Duration.ofSeconds(2)).build();

  @Test
  void theSystemsTlsKeepsTheBaseClient() throws TlsException {
    assertThat(HttpClients.withTls(base, HttpClients.Tls.SYSTEM)).isSameAs(base);
    assertThat(base.connectTimeoutMillis()).isEqualTo(1000);
    assertThat(base.readTimeoutMillis()).isEqualTo(2000);
  }

  @Test
  void skippingVerificationNeverReadsTheCaFile() throws TlsException {
    HttpClients.Tls tls = HttpClients.Tls.server(Optional.of(dir.resolve("absent.pem")), true);

    OkHttpClient client = HttpClients.withTls(base, tls);

    assertThat(client).isNotSameAs(base);
    assertThat(client.hostnameVerifier().verify("any.example", null)).isTrue();
  }

  @Test
  void aMissingOrEmptyCaFileIsNamedWithItsKind() throws Exception {
    Path missing = dir.resolve("absent.pem");
    assertThatThrownBy(
            () -> HttpClients.withTls(base, HttpClients.Tls.server(Optional.of(missing), false)))
        .isInstanceOfSatisfying(
            TlsException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(TlsException.Kind.NO_SUCH_FILE);
              assertThat(e.file()).isEqualTo(missing);
            });

    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(
            () -> HttpClients.withTls(base, HttpClients.Tls.server(Optional.of(empty), false)))
        .isInstanceOfSatisfying(
            TlsException.class,
            e -> assertThat(e.kind()).isEqualTo(TlsException.Kind.NO_CERTIFICATE))
        .hasMessage("no certificate in " + empty);
  }

  @Test
  void aClientCertificateNeedsItsKey() {
    assertThatThrownBy(
            () ->
                new HttpClients.Tls(
                    Optional.empty(), Optional.of(dir.resolve("c.pem")), Optional.empty(), false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
