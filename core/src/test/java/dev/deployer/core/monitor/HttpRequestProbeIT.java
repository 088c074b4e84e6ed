package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Records;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@code http} probe against a JDK HTTP server started by the test. */
@Timeout(30)
class HttpRequestProbeIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  /** What the server saw of each request. */
  record Seen(String method, String path, Map<String, List<String>> headers, String body) {}

  private HttpServer server;
  private final ExecutorService serverThreads = Executors.newCachedThreadPool();
  private final BlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
  private String base;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    routes(server);
    server.setExecutor(serverThreads);
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private void routes(HttpServer s) {
    s.createContext("/health", e -> answer(e, 200, "{\"status\":\"UP\",\"db\":\"UP\"}"));
    s.createContext("/down", e -> answer(e, 503, "maintenance"));
    s.createContext("/missing", e -> answer(e, 404, "no such page"));
    s.createContext("/empty", e -> answer(e, 204, ""));
    s.createContext(
        "/slow",
        e -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
          answer(e, 200, "late");
        });
    s.createContext(
        "/moved",
        e -> {
          e.getResponseHeaders().add("Location", "/health");
          answer(e, 302, "");
        });
  }

  private void answer(HttpExchange exchange, int code, String body) throws IOException {
    byte[] request = exchange.getRequestBody().readAllBytes();
    seen.add(
        new Seen(
            exchange.getRequestMethod(),
            exchange.getRequestURI().getPath(),
            Map.copyOf(exchange.getRequestHeaders()),
            new String(request, StandardCharsets.UTF_8)));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  private static Monitor.HttpProbe get(String url) {
    return get(url, Map.of());
  }

  /** A GET with {@code headers} that passes on HTTP 200, whatever the body. */
  private static Monitor.HttpProbe get(String url, Map<String, String> headers) {
    return settings(url, "GET", headers, Optional.empty(), List.of(200), Optional.empty(), false);
  }

  private static Monitor.HttpProbe settings(
      String url,
      String method,
      Map<String, String> headers,
      Optional<String> body,
      List<Integer> codes,
      Optional<String> regex,
      boolean insecure) {
    return new Monitor.HttpProbe(url, method, headers, body, codes, regex, insecure);
  }

  private static ProbeResult probe(Monitor.HttpProbe settings) throws Exception {
    return new HttpRequestProbe(settings, Map.of(), TIMEOUT).probe();
  }

  @Test
  void anExpectedStatusPasses() throws Exception {
    ProbeResult result = probe(get(base + "/health"));

    assertThat(result).isEqualTo(ProbeResult.success("HTTP 200 from GET " + base + "/health"));
  }

  @Test
  void oneProbeServesManyThreadsAtOnce() throws Exception {
    HttpRequestProbe probe = new HttpRequestProbe(get(base + "/health"), Map.of(), TIMEOUT);
    ExecutorService threads = Executors.newFixedThreadPool(16);
    List<CompletableFuture<ProbeResult>> results = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      results.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return probe.probe();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              },
              threads));
    }

    try {
      for (CompletableFuture<ProbeResult> result : results) {
        assertThat(result.get(10, TimeUnit.SECONDS).success()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void anUnexpectedStatusFailsNamingItTheMethodAndTheUrl() throws Exception {
    ProbeResult result = probe(get(base + "/missing"));

    assertThat(result)
        .isEqualTo(ProbeResult.failure("HTTP 404 from GET " + base + "/missing (expected 200)"));
  }

  @Test
  void anUnexpected5xxIsAnErrorNotAFailure() throws Exception {
    ProbeResult result = probe(get(base + "/down"));

    assertThat(result)
        .isEqualTo(ProbeResult.error("HTTP 503 from GET " + base + "/down (expected 200)"));
  }

  @Test
  void an5xxThatIsExpectedPasses() throws Exception {
    ProbeResult result =
        probe(
            settings(
                base + "/down",
                "GET",
                Map.of(),
                Optional.empty(),
                List.of(503),
                Optional.empty(),
                false));

    assertThat(result.success()).isTrue();
  }

  @Test
  void anUnknownHostIsAnError() throws Exception {
    ProbeResult result = probe(get("http://no-such-host.invalid/health"));

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "cannot connect to http://no-such-host.invalid/health: unknown host"
                    + " no-such-host.invalid"));
  }

  @Test
  void aPooledConnectionTheServerClosedIsRetriedOnceAndSucceeds() throws Exception {
    // A server whose keep-alive ends as soon as an answer is sent: it announces keep-alive, keeps
    // the socket open, and closes it unannounced once the client is idle, as servers with short
    // idle timeouts do between two probes.
    try (java.net.ServerSocket listener =
        new java.net.ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      java.util.concurrent.atomic.AtomicInteger connections =
          new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.atomic.AtomicInteger requests =
          new java.util.concurrent.atomic.AtomicInteger();
      Thread accepting =
          new Thread(
              () -> {
                while (!listener.isClosed()) {
                  try (java.net.Socket socket = listener.accept()) {
                    connections.incrementAndGet();
                    var in =
                        new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                socket.getInputStream(), StandardCharsets.US_ASCII));
                    String line;
                    while ((line = in.readLine()) != null && !line.isEmpty()) {
                      // the request's head
                    }
                    if (line == null) {
                      continue; // a connection closed before any request
                    }
                    requests.incrementAndGet();
                    socket
                        .getOutputStream()
                        .write(
                            ("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive"
                                    + "\r\n\r\nok")
                                .getBytes(StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    Thread.sleep(100);
                  } catch (IOException | InterruptedException e) {
                    return;
                  }
                }
              });
      accepting.setDaemon(true);
      accepting.start();
      HttpRequestProbe probe =
          new HttpRequestProbe(
              get("http://127.0.0.1:" + listener.getLocalPort() + "/"), Map.of(), TIMEOUT);

      ProbeResult first = probe.probe();
      Thread.sleep(500); // the server has closed the pooled connection by now
      ProbeResult second = probe.probe();

      assertThat(first.success()).isTrue();
      assertThat(second.success()).as(second.detail()).isTrue();
      assertThat(requests.get()).isEqualTo(2);
      assertThat(connections.get()).as("the retry opened a new connection").isEqualTo(2);
    }
  }

  @Test
  void aUserAndPasswordInTheUrlAreSentAsBasicAuthFromTheEnvironmentAndNeverShown()
      throws Exception {
    ProbeResult result =
        new HttpRequestProbe(
                get(
                    "http://ops:${env:HEALTH_PASSWORD}@127.0.0.1:"
                        + server.getAddress().getPort()
                        + "/health"),
                Map.of("HEALTH_PASSWORD", "s3cr:t/@x"),
                TIMEOUT)
            .probe();

    assertThat(result).isEqualTo(ProbeResult.success("HTTP 200 from GET " + base + "/health"));
    assertThat(seen.take().headers().get("Authorization"))
        .containsExactly(okhttp3.Credentials.basic("ops", "s3cr:t/@x"));
  }

  @Test
  void anyOfSeveralExpectedCodesPasses() throws Exception {
    Monitor.HttpProbe settings =
        settings(
            base + "/empty",
            "GET",
            Map.of(),
            Optional.empty(),
            List.of(200, 204),
            Optional.empty(),
            false);
    assertThat(probe(settings).success()).isTrue();

    Monitor.HttpProbe down = Records.with(settings, "url", base + "/down");
    assertThat(probe(down).detail()).endsWith("(expected one of [200, 204])");
  }

  @Test
  void sendsTheMethodHeadersAndBodyWithSecretsFromTheEnvironmentKeptOutOfTheDetail()
      throws Exception {
    Monitor.HttpProbe settings =
        settings(
            base + "/health",
            "POST",
            Map.of(
                "Authorization", "Bearer ${env:HEALTH_TOKEN}",
                "Content-Type", "application/json",
                "X-Check", "deployer"),
            Optional.of("{\"deep\": true}"),
            List.of(200),
            Optional.empty(),
            false);

    ProbeResult result =
        new HttpRequestProbe(settings, Map.of("HEALTH_TOKEN", "s3cret-t0ken"), TIMEOUT).probe();

    assertThat(result).isEqualTo(ProbeResult.success("HTTP 200 from POST " + base + "/health"));
    Seen request = seen.poll(5, TimeUnit.SECONDS);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.headers().get("Authorization")).containsExactly("Bearer s3cret-t0ken");
    assertThat(request.headers().get("X-check")).containsExactly("deployer");
    assertThat(request.headers().get("Content-type").get(0)).startsWith("application/json");
    assertThat(request.body()).isEqualTo("{\"deep\": true}");
    assertThat(result.detail()).doesNotContain("s3cret");
  }

  @Test
  void anUnsetVariableIsAProbeExceptionNamingItAndTheProperty() {
    Monitor.HttpProbe settings =
        get(base + "/health", Map.of("Authorization", "Bearer ${env:HEALTH_TOKEN}"));

    assertThatThrownBy(() -> new HttpRequestProbe(settings, Map.of(), TIMEOUT))
        .isInstanceOf(ProbeException.class)
        .hasMessage("http.headers.Authorization: the environment variable HEALTH_TOKEN is not set");
  }

  @Test
  void aHeaderValueHttpCannotCarryIsAProbeExceptionThatDoesNotQuoteIt() {
    Monitor.HttpProbe settings = get(base + "/health", Map.of("X-Api-Key", "${env:API_KEY}"));

    assertThatThrownBy(
            () -> new HttpRequestProbe(settings, Map.of("API_KEY", "k3y\nsecret"), TIMEOUT))
        .isInstanceOf(ProbeException.class)
        .hasMessage(
            "http.headers.X-Api-Key: HTTP allows neither this name nor control or non-ASCII"
                + " characters");
  }

  @Test
  void aBodyRegexMustFindAMatch() throws Exception {
    Monitor.HttpProbe matching =
        settings(
            base + "/health",
            "GET",
            Map.of(),
            Optional.empty(),
            List.of(200),
            Optional.of("\"db\":\"UP\""),
            false);
    Monitor.HttpProbe notMatching =
        Records.with(matching, "bodyRegex", Optional.of("\"db\":\"DOWN\""));

    assertThat(probe(matching))
        .isEqualTo(
            ProbeResult.success(
                "HTTP 200 from GET " + base + "/health, body matches \"db\":\"UP\""));
    assertThat(probe(notMatching))
        .isEqualTo(
            ProbeResult.failure(
                "body does not match \"db\":\"DOWN\" (HTTP 200 from GET "
                    + base
                    + "/health, body: {\"status\":\"UP\",\"db\":\"UP\"})"));
  }

  @Test
  void aRefusedConnectionIsAnError() throws Exception {
    int port = LoopbackPorts.free();

    ProbeResult result = probe(get("http://127.0.0.1:" + port + "/health"));

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .startsWith("cannot connect to http://127.0.0.1:" + port + "/health");
  }

  @Test
  void aServerSlowerThanTheTimeoutIsAnError() throws Exception {
    long start = System.nanoTime();
    ProbeResult result =
        new HttpRequestProbe(get(base + "/slow"), Map.of(), Duration.ofMillis(300)).probe();

    assertThat(result)
        .isEqualTo(ProbeResult.error("no answer from " + base + "/slow within 300ms"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void anInterruptedProbeStopsWaiting() throws Exception {
    HttpRequestProbe probe =
        new HttpRequestProbe(get(base + "/slow"), Map.of(), Duration.ofSeconds(20));
    CompletableFuture<Throwable> thrown = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                probe.probe();
                thrown.complete(null);
              } catch (Throwable t) {
                thrown.complete(t);
              }
            });
    caller.start();
    seen.poll(5, TimeUnit.SECONDS); // the request reached the server
    caller.interrupt();

    assertThat(thrown.get(4, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
  }

  @Test
  void redirectsAreFollowedUnlessA3xxCodeIsExpected() throws Exception {
    assertThat(probe(get(base + "/moved")))
        .isEqualTo(ProbeResult.success("HTTP 200 from GET " + base + "/moved"));

    Monitor.HttpProbe expectRedirect =
        settings(
            base + "/moved",
            "GET",
            Map.of(),
            Optional.empty(),
            List.of(302),
            Optional.empty(),
            false);
    assertThat(probe(expectRedirect))
        .isEqualTo(ProbeResult.success("HTTP 302 from GET " + base + "/moved"));
  }

  @Test
  void aBodyOnAGetIsAProbeException() {
    Monitor.HttpProbe settings =
        settings(
            base + "/health",
            "GET",
            Map.of(),
            Optional.of("x"),
            List.of(200),
            Optional.empty(),
            false);

    assertThatThrownBy(() -> new HttpRequestProbe(settings, Map.of(), TIMEOUT))
        .isInstanceOf(ProbeException.class)
        .hasMessage("http.body: a GET request cannot have a body");
  }

  @Test
  void anUntrustedCertificateIsAnErrorUnlessInsecure() throws Exception {
    HeldCertificate certificate =
        new HeldCertificate.Builder().addSubjectAlternativeName("127.0.0.1").build();
    HandshakeCertificates serverTls =
        new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(serverTls.sslContext()));
    routes(https);
    https.start();
    try {
      String url = "https://127.0.0.1:" + https.getAddress().getPort() + "/health";

      ProbeResult strict = probe(get(url));
      ProbeResult insecure =
          probe(
              settings(
                  url, "GET", Map.of(), Optional.empty(), List.of(200), Optional.empty(), true));

      assertThat(strict)
          .isEqualTo(
              ProbeResult.error(
                  "TLS with "
                      + url
                      + " failed: the server's certificate is not trusted (set ca_file, or"
                      + " insecure: true)"));
      assertThat(insecure).isEqualTo(ProbeResult.success("HTTP 200 from GET " + url));
    } finally {
      https.stop(0);
    }
  }
}
