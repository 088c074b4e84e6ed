package dev.deployer.core.monitor;

import static dev.deployer.core.monitor.PrometheusQueryProbeIT.probe;
import static dev.deployer.core.monitor.PrometheusQueryProbeIT.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Monitor.SuccessMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code prometheus} probe's requests and settings, against {@link MockWebServer} answering
 * like Prometheus: what a real server cannot show cheaply (bearer tokens, path prefixes, matrices).
 */
@Timeout(30)
class PrometheusQueryProbeMockIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir Path dir;

  @Test
  void aUrlWithAPathPrefixKeepsIt() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(
          new MockResponse()
              .setBody(
                  "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
      probe(settings(server.url("/prometheus/").toString(), "up", SuccessMode.IF_EMPTY));

      assertThat(server.takeRequest().getPath()).isEqualTo("/prometheus/api/v1/query?query=up");
    }
  }

  @Test
  void aBearerTokenFromTheEnvironmentIsSentAndNeverShown() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(
          new MockResponse()
              .setBody(
                  "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
      server.enqueue(new MockResponse().setResponseCode(401).setBody("Unauthorized"));
      Monitor.PrometheusProbe settings =
          new Monitor.PrometheusProbe(
              server.url("/").toString(),
              "up == 0",
              SuccessMode.IF_EMPTY,
              Optional.empty(),
              Optional.empty(),
              Optional.of("${env:PROM_TOKEN}"),
              Optional.empty(),
              false);
      PrometheusQueryProbe probe =
          new PrometheusQueryProbe(settings, Map.of("PROM_TOKEN", "t0ken-value"), TIMEOUT);

      ProbeResult passed = probe.probe();
      ProbeResult refused = probe.probe();

      RecordedRequest request = server.takeRequest();
      assertThat(request.getHeader("Authorization")).isEqualTo("Bearer t0ken-value");
      assertThat(request.getRequestUrl().queryParameter("query")).isEqualTo("up == 0");
      assertThat(passed.success()).isTrue();
      assertThat(refused)
          .isEqualTo(
              ProbeResult.error(
                  "Prometheus at " + server.url("/") + " refused the credentials (HTTP 401)"));
      assertThat(passed.detail() + refused.detail()).doesNotContain("t0ken");
    }
  }

  @Test
  void anUnsetVariableIsAProbeExceptionNamingIt() {
    Monitor.PrometheusProbe settings =
        new Monitor.PrometheusProbe(
            "http://127.0.0.1:9090",
            "up",
            SuccessMode.IF_EMPTY,
            Optional.of("deployer"),
            Optional.of("${env:PROM_PASSWORD}"),
            Optional.empty(),
            Optional.empty(),
            false);

    assertThatThrownBy(() -> new PrometheusQueryProbe(settings, Map.of(), TIMEOUT))
        .isInstanceOf(ProbeException.class)
        .hasMessage("prometheus.password: the environment variable PROM_PASSWORD is not set");
  }

  @Test
  void aMissingCaFileIsAProbeExceptionNamingIt() {
    Path missing = dir.resolve("no-such-ca.pem");
    Monitor.PrometheusProbe settings =
        new Monitor.PrometheusProbe(
            "https://127.0.0.1:1",
            "up",
            SuccessMode.IF_EMPTY,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(missing.toString()),
            false);

    assertThatThrownBy(() -> new PrometheusQueryProbe(settings, Map.of(), TIMEOUT))
        .isInstanceOf(ProbeException.class)
        .hasMessage("prometheus.ca_file: no such file " + missing);
  }

  @Test
  void aMatrixResultNamesItsFirstSeriesLastValue() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(
          new MockResponse()
              .setBody(
                  "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                      + "{\"metric\":{\"__name__\":\"up\",\"job\":\"api\"},"
                      + "\"values\":[[1700000000,\"0\"],[1700000015,\"1\"]]}]}}"));

      ProbeResult result =
          probe(settings(server.url("/").toString(), "up[1m]", SuccessMode.IF_EMPTY));

      assertThat(result)
          .isEqualTo(
              ProbeResult.failure(
                  "if_empty fails: the query returned 1 series, first up{job=\"api\"} = 1"));
    }
  }

  @Test
  void aServerErrorWithoutPrometheusJsonIsAnError() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(502).setBody("<html>Bad Gateway</html>"));

      ProbeResult result = probe(settings(server.url("/").toString(), "up", SuccessMode.IF_EMPTY));

      assertThat(result)
          .isEqualTo(
              ProbeResult.error(
                  "Prometheus at "
                      + server.url("/")
                      + " answered HTTP 502 that is not a Prometheus API answer:"
                      + " <html>Bad Gateway</html>"));
    }
  }
}
