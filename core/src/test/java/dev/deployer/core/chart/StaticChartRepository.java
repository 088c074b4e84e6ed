package dev.deployer.core.chart;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.helm.TestCharts;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A classic chart repository for tests: a JDK web server on 127.0.0.1 serving files held in memory,
 * {@code index.yaml} and {@code .tgz} alike. With a username and password it answers 401 (with a
 * Basic challenge) to every request that does not carry exactly those credentials; a path it does
 * not hold is a 404.
 *
 * <pre>{@code
 * try (var repo = StaticChartRepository.start("deployer", "s3cret")) {
 *   repo.charts("/", archives);          // index.yaml and the archives at the root
 *   URI url = repo.url("/");
 * }
 * }</pre>
 */
public final class StaticChartRepository implements AutoCloseable {

  private final HttpServer server;
  private final String expectedAuthorization;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final Map<String, String> authorizationSeen = new ConcurrentHashMap<>();

  private StaticChartRepository(String username, String password) throws IOException {
    if ((username == null) != (password == null)) {
      throw new IllegalArgumentException("username and password go together");
    }
    expectedAuthorization = username == null ? null : basic(username, password);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  /** Starts a repository anyone may read. */
  public static StaticChartRepository start() {
    return start(null, null);
  }

  /** Starts a repository that wants these credentials; both null for anonymous access. */
  public static StaticChartRepository start(String username, String password) {
    try {
      return new StaticChartRepository(username, password);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The value of an {@code Authorization} header carrying these credentials. */
  public static String basic(String username, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** Serves {@code body} at {@code path} (absolute, e.g. {@code /repo/index.yaml}). */
  public StaticChartRepository file(String path, byte[] body) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: " + path);
    }
    files.put(path, body.clone());
    return this;
  }

  public StaticChartRepository file(String path, String body) {
    return file(path, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Serves a copy of {@code archive} at {@code path}. */
  public StaticChartRepository file(String path, Path archive) {
    try {
      return file(path, Files.readAllBytes(archive));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Serves each archive under {@code dir} by its file name and an {@code index.yaml} there listing
   * them as {@code helm repo index --url} would: absolute chart URLs, the archive's SHA-256, a
   * creation time. Entries keep the order of {@code archives}.
   */
  public StaticChartRepository charts(String dir, List<Path> archives) {
    String base = dir.endsWith("/") ? dir : dir + "/";
    StringBuilder index = new StringBuilder("apiVersion: v1\nentries:\n");
    Map<String, List<String>> entries = new LinkedHashMap<>();
    String created = Instant.now().toString();
    for (Path archive : archives) {
      String fileName = archive.getFileName().toString();
      file(base + fileName, archive);
      Map<?, ?> chart = chartYaml(archive);
      String name = String.valueOf(chart.get("name"));
      entries
          .computeIfAbsent(name, n -> new ArrayList<>())
          .add(
              "    - name: %s\n      version: %s\n      urls: [%s]\n      digest: %s\n      created: %s\n"
                  .formatted(
                      quote(name),
                      quote(String.valueOf(chart.get("version"))),
                      quote(url(base + fileName).toString()),
                      TestCharts.sha256(archive).substring("sha256:".length()),
                      quote(created)));
    }
    entries.forEach(
        (name, versions) ->
            index.append("  ").append(name).append(":\n").append(String.join("", versions)));
    index.append("generated: ").append(quote(created)).append('\n');
    return file(base + "index.yaml", index.toString());
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path}. */
  public URI url(String path) {
    return URI.create(url() + path);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** The last {@code Authorization} header received for each path (requests without one: none). */
  public Map<String, String> authorizationSeen() {
    return Map.copyOf(authorizationSeen);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    try {
      String path = exchange.getRequestURI().getPath();
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization != null) {
        authorizationSeen.put(path, authorization);
      }
      byte[] body = files.get(path);
      int status;
      if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
        status = 401;
        exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"charts\"");
      } else {
        status = body == null ? 404 : 200;
      }
      if (status != 200) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  /** The chart's Chart.yaml, read from the packaged archive. */
  private static Map<?, ?> chartYaml(Path archive) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("chart-index");
      ChartArchive.unpack(archive, dir);
      try (Stream<Path> found = Files.find(dir, 2, (p, a) -> p.endsWith("Chart.yaml"))) {
        Path chartYaml =
            found
                .min(Comparator.comparingInt(Path::getNameCount))
                .orElseThrow(() -> new IllegalArgumentException(archive + " has no Chart.yaml"));
        return (Map<?, ?>)
            new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(chartYaml, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (dir != null) {
        deleteTree(dir);
      }
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temp directory left behind is harmless
    }
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
