package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-written repository on a JDK web server: relative chart URLs, basic authentication and
 * index digests, which Helm's test server does not cover.
 */
@Timeout(60)
class StaticRepositoryIT {

  private static final String AUTHORIZATION =
      "Basic "
          + Base64.getEncoder().encodeToString("deployer:s3cret".getBytes(StandardCharsets.UTF_8));

  @TempDir Path work;
  @TempDir Path target;
  private HttpServer server;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> authorizationSeen = new ConcurrentHashMap<>();
  private URI repositoryUrl;
  private Path packaged;

  @BeforeEach
  void startServer() throws IOException {
    packaged = TestCharts.packageChart(work, "web", "1.4.0", work.resolve("packages"));
    String digest = TestCharts.sha256(packaged).substring("sha256:".length());
    files.put("/repo/stable/web-1.4.0.tgz", Files.readAllBytes(packaged));
    files.put("/repo/other/web-1.5.0.tgz", Files.readAllBytes(packaged));
    files.put(
        "/repo/stable/index.yaml",
        ("""
        apiVersion: v1
        entries:
          web:
            - name: web
              version: 1.5.0
              urls: [../other/web-1.5.0.tgz]
              digest: 0000000000000000000000000000000000000000000000000000000000000000
            - name: web
              version: 1.4.0
              urls: [web-1.4.0.tgz]
              digest: %s
            - name: web
              version: not-semver
              urls: [web-x.tgz]
        """)
            .formatted(digest)
            .getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
    repositoryUrl =
        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repo/stable");
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void relativeChartUrlIsResolvedAgainstTheRepositoryUrlAndCredentialsAreSent() {
    FetchedChart fetched = fetcher().fetch(chart("~1.4", "deployer", "s3cret"), target);

    assertThat(fetched.version()).isEqualTo("1.4.0");
    assertThat(fetched.source()).isEqualTo(URI.create(repositoryUrl + "/web-1.4.0.tgz"));
    assertThat(fetched.digest()).isEqualTo(TestCharts.sha256(packaged));
    assertThat(authorizationSeen)
        .containsEntry("/repo/stable/index.yaml", AUTHORIZATION)
        .containsEntry("/repo/stable/web-1.4.0.tgz", AUTHORIZATION);
  }

  @Test
  void archiveWhoseDigestDiffersFromTheIndexIsRejected() {
    assertThatThrownBy(() -> fetcher().fetch(chart("1.5.0", "deployer", "s3cret"), target))
        .isInstanceOf(ChartFetchException.class)
        .hasMessageContaining("test/web 1.5.0: downloaded archive has digest sha256:")
        .hasMessageContaining("but the repository index says sha256:0000");
  }

  @Test
  void wrongPasswordIsAnAuthenticationFailure() {
    assertThatThrownBy(() -> fetcher().fetch(chart("", "deployer", "nope"), target))
        .isInstanceOf(ChartAuthenticationException.class)
        .hasMessage(
            "credentials refused by http://127.0.0.1:%d (HTTP 401) for %s/index.yaml",
            server.getAddress().getPort(), repositoryUrl);
  }

  private ChartFetcher fetcher() {
    return new ChartFetcher();
  }

  private ChartReference chart(String constraint, String username, String password) {
    return new ChartReference.Repo(
        new HelmRepository("test", repositoryUrl, RemoteAccess.basic(username, password)),
        "web",
        constraint);
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      authorizationSeen.put(path, authorization);
    }
    byte[] body = files.get(path);
    int status = !AUTHORIZATION.equals(authorization) ? 401 : body == null ? 404 : 200;
    if (status != 200) {
      body = new byte[0];
      exchange.getResponseHeaders().put("WWW-Authenticate", List.of("Basic realm=\"test\""));
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
