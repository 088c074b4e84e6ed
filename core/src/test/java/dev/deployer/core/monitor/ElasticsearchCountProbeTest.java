package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a real OpenSearch node cannot show here: credentials, TLS, answers from proxies. The counts
 * and the server's own errors are in {@link ElasticsearchCountProbeIT}.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class ElasticsearchCountProbeTest {

  private static final String COUNT_0 =
      "{\"count\":0,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,\"failed\":0}}";

  @TempDir Path planDirectory;
  private final MockWebServer server = new MockWebServer();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void sendsBasicAuthWithThePasswordFromTheEnvironment() throws Exception {
    server.enqueue(json(200, COUNT_0));
    var settings = settings(server.url("/").toString(), "ops", "${env:ES_PASSWORD}", false);

    ProbeResult result = probe(settings, Map.of("ES_PASSWORD", "s3cret")).probe();

    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getPath()).isEqualTo("/logs-*/_count?q=level%3Aerror");
    assertThat(request.getHeader("Authorization"))
        .isEqualTo("Basic " + Base64.getEncoder().encodeToString("ops:s3cret".getBytes()));
    assertThat(result)
        .isEqualTo(ProbeResult.success("0 documents match \"level:error\" in logs-* (max 0)"));
  }

  @Test
  void anUnsetPasswordVariableIsAConfigurationError() throws Exception {
    var settings = settings(server.url("/").toString(), "ops", "${env:ES_PASSWORD}", false);

    assertThatThrownBy(() -> probe(settings, Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessage("elasticsearch.password: environment variable ES_PASSWORD is not set");
  }

  @Test
  void aPasswordRedactedFromThePlanIsAConfigurationError() throws Exception {
    var settings =
        settings(
            server.url("/").toString(),
            "ops",
            "<redacted: write ${env:NAME} to keep it out of the plan>",
            false);

    assertThatThrownBy(() -> probe(settings, Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessageStartingWith("elasticsearch.password was left out of the plan");
  }

  @Test
  void anAuthenticationFailureShowsTheReasonButNeverThePassword() throws Exception {
    server.enqueue(
        json(
            401,
            "{\"error\":{\"root_cause\":[{\"type\":\"security_exception\",\"reason\":\"unable to"
                + " authenticate user [ops]\"}],\"type\":\"security_exception\",\"reason\":\"unable"
                + " to authenticate user [ops]\"},\"status\":401}"));
    var settings = settings(server.url("/").toString(), "ops", "${env:ES_PASSWORD}", false);

    ProbeResult result = probe(settings, Map.of("ES_PASSWORD", "s3cret")).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "HTTP 401 from "
                    + server.url("/")
                    + ": security_exception: unable to authenticate user [ops]"));
    assertThat(result.detail()).doesNotContain("s3cret");
  }

  @Test
  void insecureAcceptsASelfSignedCertificate() throws Exception {
    serveTlsWithSelfSignedCertificate();
    server.enqueue(json(200, COUNT_0));

    ProbeResult result =
        probe(settings(server.url("/").toString(), null, null, true), Map.of()).probe();

    assertThat(result.success()).isTrue();
    assertThat(server.takeRequest(10, TimeUnit.SECONDS).getRequestUrl().isHttps()).isTrue();
  }

  @Test
  void withoutInsecureASelfSignedCertificateIsAnError() throws Exception {
    serveTlsWithSelfSignedCertificate();

    ProbeResult result =
        probe(settings(server.url("/").toString(), null, null, false), Map.of()).probe();

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .isEqualTo(
            "TLS with "
                + server.url("/")
                + " failed: the server's certificate is not trusted (set ca_file, or insecure: true)");
  }

  @Test
  void aProxyErrorPageIsShownAbbreviated() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Bad   gateway\n</html>"));

    ProbeResult result =
        probe(settings(server.url("/").toString(), null, null, false), Map.of()).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.error("HTTP 502 from " + server.url("/") + ": <html>Bad gateway </html>"));
  }

  @Test
  void failedShardsAreAnErrorWithTheirReason() throws Exception {
    server.enqueue(
        json(
            200,
            "{\"count\":0,\"_shards\":{\"total\":2,\"successful\":1,\"skipped\":0,\"failed\":1,"
                + "\"failures\":[{\"shard\":0,\"index\":\"logs-a\",\"reason\":{\"type\":"
                + "\"query_shard_exception\",\"reason\":\"failed to create query\"}}]}}"));

    ProbeResult result =
        probe(settings(server.url("/").toString(), null, null, false), Map.of()).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "the count failed on some shards of "
                    + server.url("/")
                    + ": query_shard_exception: failed to create query"));
  }

  @Test
  void postsTheQueryFileAsJson() throws Exception {
    Files.writeString(planDirectory.resolve("errors.json"), "{\"query\": {\"match_all\": {}}}\n");
    server.enqueue(json(200, COUNT_0.replace("\"count\":0", "\"count\":7")));
    var settings =
        new Monitor.ElasticsearchProbe(
            server.url("/es/").toString(),
            Optional.empty(),
            Optional.empty(),
            Optional.of("errors.json"),
            10,
            Optional.empty(),
            Optional.empty(),
            false);

    ProbeResult result = probe(settings, Map.of()).probe();

    RecordedRequest request = server.takeRequest(10, TimeUnit.SECONDS);
    assertThat(request.getMethod()).isEqualTo("POST");
    assertThat(request.getPath()).isEqualTo("/es/_count");
    assertThat(request.getHeader("Content-Type")).startsWith("application/json");
    assertThat(request.getBody().readUtf8()).isEqualTo("{\"query\":{\"match_all\":{}}}");
    assertThat(result)
        .isEqualTo(
            ProbeResult.success(
                "7 documents match the query in errors.json in all indices (max 10)"));
  }

  @Test
  void aMissingOrInvalidQueryFileIsAConfigurationError() throws Exception {
    Files.writeString(planDirectory.resolve("broken.json"), "{\"query\": ");

    assertThatThrownBy(() -> probe(queryFile("missing.json"), Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessageStartingWith(
            "elasticsearch.query_file "
                + planDirectory.resolve("missing.json")
                + " cannot be read");
    assertThatThrownBy(() -> probe(queryFile("broken.json"), Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessageStartingWith(
            "elasticsearch.query_file " + planDirectory.resolve("broken.json") + " is not JSON");
  }

  @Test
  void needsExactlyOneOfQueryAndQueryFile() throws Exception {
    var neither =
        new Monitor.ElasticsearchProbe(
            server.url("/").toString(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            0,
            Optional.empty(),
            Optional.empty(),
            false);

    assertThatThrownBy(() -> probe(neither, Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessage("elasticsearch needs exactly one of query and query_file");
  }

  @Test
  void aUrlThatIsNotHttpIsAConfigurationError() throws Exception {
    assertThatThrownBy(() -> probe(settings("localhost:9200", null, null, false), Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessage("elasticsearch.url: \"localhost:9200\" is not an http(s) URL");
  }

  private void serveTlsWithSelfSignedCertificate() {
    HeldCertificate certificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    HandshakeCertificates serverCertificates =
        new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    server.useHttps(serverCertificates.sslSocketFactory(), false);
  }

  private ElasticsearchCountProbe probe(
      Monitor.ElasticsearchProbe settings, Map<String, String> environment) {
    return new ElasticsearchCountProbe(
        settings, Duration.ofSeconds(10), planDirectory, environment);
  }

  private Monitor.ElasticsearchProbe queryFile(String file) {
    return new Monitor.ElasticsearchProbe(
        server.url("/").toString(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(file),
        0,
        Optional.empty(),
        Optional.empty(),
        false);
  }

  private static Monitor.ElasticsearchProbe settings(
      String url, String username, String password, boolean insecure) {
    return new Monitor.ElasticsearchProbe(
        url,
        Optional.of("logs-*"),
        Optional.of("level:error"),
        Optional.empty(),
        0,
        Optional.ofNullable(username),
        Optional.ofNullable(password),
        insecure);
  }

  private static MockResponse json(int code, String body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(body);
  }
}
