package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Monitor.SuccessMode;
import dev.deployer.core.plan.Records;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import okhttp3.tls.HeldCertificate;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code prometheus} probe against a real Prometheus server started by the test, scraping a
 * tiny metrics endpoint the test serves. Skipped, saying what to install, without the binary.
 */
@Timeout(180)
class PrometheusQueryProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path dir;

  private static HttpServer target;
  private static String targetAddress;
  private static PrometheusServer prometheus;
  private static String prometheusUrl;

  @BeforeAll
  static void start() throws Exception {
    Optional<Path> found = PrometheusServer.binary();
    if (found.isEmpty()) {
      return; // each test then skips (or fails, in CI) saying what to install
    }
    Path binary = found.get();
    target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    target.createContext(
        "/metrics",
        e -> {
          byte[] body =
              String.join(
                      "\n",
                      "# TYPE demo_ready gauge",
                      "demo_ready 1",
                      "# TYPE demo_errors_total counter",
                      "demo_errors_total{code=\"500\"} 0",
                      "")
                  .getBytes(StandardCharsets.UTF_8);
          e.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          e.sendResponseHeaders(200, body.length);
          e.getResponseBody().write(body);
          e.close();
        });
    target.start();
    targetAddress = "127.0.0.1:" + target.getAddress().getPort();
    Path plain = Files.createDirectories(dir.resolve("plain"));
    prometheus = PrometheusServer.start(binary, plain, targetAddress, Optional.empty());
    prometheusUrl = "http://127.0.0.1:" + prometheus.port();
    awaitTargetUp(prometheus, query("up{job=\"app\"} == 1", SuccessMode.IF_VECTOR), Map.of());
  }

  @BeforeEach
  void requirePrometheus() {
    PrometheusServer.binaryOrSkip();
  }

  @AfterAll
  static void stop() {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.stop(0);
    }
  }

  /** Waits (60s at most) until Prometheus has scraped the target, probing the way users do. */
  private static void awaitTargetUp(
      PrometheusServer server, Monitor.PrometheusProbe upQuery, Map<String, String> environment)
      throws Exception {
    PrometheusQueryProbe probe = new PrometheusQueryProbe(upQuery, environment, TIMEOUT);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    ProbeResult last = null;
    while (System.nanoTime() < deadline) {
      if (!server.alive()) {
        fail("prometheus exited:\n" + server.log());
      }
      last = probe.probe();
      if (last.success()) {
        return;
      }
      Thread.sleep(250);
    }
    fail("the target never became up in Prometheus; last probe: " + last + "\n" + server.log());
  }

  private static Monitor.PrometheusProbe query(String expr, SuccessMode mode) {
    return settings(prometheusUrl, expr, mode);
  }

  /** No credentials, no TLS settings: the plain probe with {@code mode}. */
  static Monitor.PrometheusProbe settings(String url, String expr, SuccessMode mode) {
    return Records.with(Monitor.PrometheusProbe.of(url, expr), "successMode", mode);
  }

  static ProbeResult probe(Monitor.PrometheusProbe settings) throws Exception {
    return new PrometheusQueryProbe(settings, Map.of(), TIMEOUT).probe();
  }

  /** Queries whose whole answer the query and the mode decide: each case is a test of its own. */
  static Stream<Arguments> decidedAnswers() {
    return Stream.of(
        Arguments.of(
            "ifEmptyPassesWhenTheQueryFindsNothing",
            "demo_errors_total > 0",
            SuccessMode.IF_EMPTY,
            ProbeResult.success("if_empty passes: the query returned no series")),
        Arguments.of(
            "ifVectorFailsWhenTheQueryFindsNothing",
            "demo_errors_total > 0",
            SuccessMode.IF_VECTOR,
            ProbeResult.failure("if_vector fails: the query returned no series")),
        Arguments.of(
            "aScalarResultCountsAsOneSample",
            "scalar(demo_ready)",
            SuccessMode.IF_VECTOR,
            ProbeResult.success("if_vector passes: the query returned 1 scalar, first 1")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decidedAnswers")
  void theQueryAndModeDecideTheAnswer(
      String name, String expr, SuccessMode mode, ProbeResult expected) throws Exception {
    assertThat(probe(query(expr, mode))).isEqualTo(expected);
  }

  @Test
  void ifEmptyFailsWhenTheQueryFindsSeriesNamingTheFirst() throws Exception {
    assertThat(probe(query("demo_ready == 1", SuccessMode.IF_EMPTY)))
        .isEqualTo(
            ProbeResult.failure(
                "if_empty fails: the query returned 1 series, first demo_ready{instance=\""
                    + targetAddress
                    + "\", job=\"app\"} = 1"));
  }

  @Test
  void ifVectorPassesWhenTheQueryFindsSeries() throws Exception {
    ProbeResult result =
        probe(query("demo_ready == 1 or demo_errors_total >= 0", SuccessMode.IF_VECTOR));

    assertThat(result.success()).isTrue();
    assertThat(result.detail()).startsWith("if_vector passes: the query returned 2 series, first ");
  }

  @Test
  void aBadQueryIsAnErrorWithPrometheusMessage() throws Exception {
    ProbeResult result = probe(query("sum(demo_ready", SuccessMode.IF_EMPTY));

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .startsWith("Prometheus rejected the query sum(demo_ready (HTTP 400, bad_data): ")
        .contains("parse error");
  }

  /** The probe could not get an answer: an error, whose detail starts with {@code start}. */
  private static void assertErrorStartingWith(ProbeResult result, String start) {
    assertThat(result.error()).isTrue();
    assertThat(result.detail()).startsWith(start);
  }

  @Test
  void anUnreachableServerIsAnError() throws Exception {
    int port = LoopbackPorts.free();

    ProbeResult result = probe(settings("http://127.0.0.1:" + port, "up", SuccessMode.IF_EMPTY));

    assertErrorStartingWith(
        result,
        "Prometheus query failed: cannot connect to http://127.0.0.1:"
            + port
            + "/api/v1/query?query=up");
  }

  @Test
  void anAnswerThatIsNotPrometheusJsonIsAnError() throws Exception {
    // The scrape target is an HTTP server but no Prometheus: it answers 404 in HTML.
    ProbeResult result = probe(settings("http://" + targetAddress, "up", SuccessMode.IF_EMPTY));

    assertErrorStartingWith(
        result,
        "Prometheus at http://"
            + targetAddress
            + "/ answered HTTP 404 that is not a Prometheus API answer: ");
  }

  @Test
  void basicAuthAndACaFileAgainstPrometheusServingTlsWithUsers() throws Exception {
    HeldCertificate ca = new HeldCertificate.Builder().certificateAuthority(0).build();
    HeldCertificate serverCertificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").signedBy(ca).build();
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Path caFile = Files.writeString(tls.resolve("ca.pem"), ca.certificatePem());
    Files.writeString(tls.resolve("server.pem"), serverCertificate.certificatePem());
    Files.writeString(tls.resolve("server-key.pem"), serverCertificate.privateKeyPkcs8Pem());
    byte[] salt = new byte[16];
    new SecureRandom().nextBytes(salt);
    String hash = OpenBSDBCrypt.generate("2b", "pr0m-pass".toCharArray(), salt, 4);
    String webConfig =
        String.join(
            "\n",
            "tls_server_config:",
            "  cert_file: " + tls.resolve("server.pem"),
            "  key_file: " + tls.resolve("server-key.pem"),
            "basic_auth_users:",
            "  deployer: '" + hash + "'",
            "");
    Path secured = Files.createDirectories(dir.resolve("secured"));
    try (PrometheusServer server =
        PrometheusServer.start(
            PrometheusServer.binaryOrSkip(), secured, targetAddress, Optional.of(webConfig))) {
      String url = "https://127.0.0.1:" + server.port();
      Map<String, String> environment = Map.of("PROM_PASSWORD", "pr0m-pass");
      Monitor.PrometheusProbe trusted =
          new Monitor.PrometheusProbe(
              url,
              "up{job=\"app\"} == 1",
              SuccessMode.IF_VECTOR,
              Optional.of("deployer"),
              Optional.of("${env:PROM_PASSWORD}"),
              Optional.empty(),
              Optional.of(caFile.toString()),
              false);
      awaitTargetUp(server, trusted, environment);

      ProbeResult wrongPassword =
          new PrometheusQueryProbe(trusted, Map.of("PROM_PASSWORD", "wrong-pass"), TIMEOUT).probe();
      Monitor.PrometheusProbe noCa =
          new Monitor.PrometheusProbe(
              url,
              "up",
              SuccessMode.IF_VECTOR,
              Optional.of("deployer"),
              Optional.of("${env:PROM_PASSWORD}"),
              Optional.empty(),
              Optional.empty(),
              false);
      ProbeResult untrusted = new PrometheusQueryProbe(noCa, environment, TIMEOUT).probe();
      Monitor.PrometheusProbe insecure = Records.with(noCa, "insecure", true);
      ProbeResult skipVerify = new PrometheusQueryProbe(insecure, environment, TIMEOUT).probe();

      assertThat(wrongPassword)
          .isEqualTo(
              ProbeResult.error("Prometheus at " + url + "/ refused the credentials (HTTP 401)"));
      assertThat(untrusted.error()).isTrue();
      assertThat(untrusted.detail()).startsWith("Prometheus query failed: TLS with " + url);
      assertThat(skipVerify.success()).isTrue();
      assertThat(wrongPassword.detail() + untrusted.detail()).doesNotContain("pass");
    }
  }
}
