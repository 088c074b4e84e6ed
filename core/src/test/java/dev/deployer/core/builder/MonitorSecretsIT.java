package dev.deployer.core.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.PlanFiles;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.event.Event;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.monitor.ProbeResult;
import dev.deployer.core.monitor.Probes;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plandir.PlanDirectory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No monitor credential reaches the planfile, an event or a file: literal ones are warned about by
 * validate and refused by build, references are kept as references and resolved by the probe.
 */
class MonitorSecretsIT {
  private static final String PASSWORD = "hunter2-url-secret";
  private static final String TOKEN = "xyz-bearer-secret";

  @TempDir Path dir;
  PlanFiles files;
  final List<Event> events = new ArrayList<>();
  HttpServer server;
  final BlockingQueue<Map<String, List<String>>> seen = new LinkedBlockingQueue<>();

  @BeforeEach
  void setUp() throws IOException {
    files = new PlanFiles(dir);
    files.chart("ok");
    files.write(
        "ok/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/health",
        exchange -> {
          seen.add(Map.copyOf(exchange.getRequestHeaders()));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String plan(String url, String authorization) {
    return """
        monitors:
          - name: health
            type: http
            http:
              url: '%s'
              headers:
                Accept: application/json
                Authorization: '%s'
        releases:
          - {name: api, namespace: shop, chart: ./ok, monitors: [health]}
        """
        .formatted(url, authorization);
  }

  private String base() {
    return "127.0.0.1:" + server.getAddress().getPort() + "/health";
  }

  private BuildResult build(Path plan, Path planDir) {
    return new PlanBuilder(
            NativeHelmEngine.shared(), new ChartFetcher(), Map.of(), java.util.Optional.empty())
        .build(
            new BuildRequest(plan, planDir, Selection.ALL, 1, BuildRequest.DiffMode.NONE, false),
            events::add);
  }

  private static String everything(Path root) throws IOException {
    if (!Files.exists(root)) {
      return "";
    }
    StringBuilder all = new StringBuilder();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(p));
      }
    }
    return all.toString();
  }

  @Test
  void validateWarnsAboutEachLiteralSecretNamingFileLineAndFieldButNotTheSecret() {
    files.load(plan("https://ops:" + PASSWORD + "@" + base(), "Bearer " + TOKEN));

    assertThat(files.warnings())
        .containsExactly(
            dir.resolve("deployer.yml")
                + ":5:12: monitors[0].http.url: holds a password in the URL as literal text;"
                + " write ${env:NAME} instead and set NAME in the environment of `deployer up` (it"
                + " is read when the monitor starts, never written anywhere)",
            dir.resolve("deployer.yml")
                + ":8:24: monitors[0].http.headers.Authorization: holds the credentials of header"
                + " Authorization as literal text; write ${env:NAME} instead and set NAME in the"
                + " environment of `deployer up` (it is read when the monitor starts, never written"
                + " anywhere)");
    assertThat(String.join("\n", files.warnings())).doesNotContain(PASSWORD, TOKEN);
  }

  @Test
  void buildRefusesLiteralSecretsWithExitTwoProblemsAndWritesNothing() throws IOException {
    Path plan =
        files.write(
            "deployer.yml", plan("https://ops:" + PASSWORD + "@" + base(), "Bearer " + TOKEN));
    Path planDir = dir.resolve(".deployer");

    PlanException refused = catchThrowableOfType(PlanException.class, () -> build(plan, planDir));

    assertThat(refused.problems())
        .extracting(Problem::field)
        .containsExactlyInAnyOrder(
            "monitors[0].http.url", "monitors[0].http.headers.Authorization");
    assertThat(refused.getMessage())
        .contains(
            "deployer.yml:5:12: monitors[0].http.url: build keeps credentials out of the planfile")
        .contains("write ${env:NAME}")
        .doesNotContain(PASSWORD, TOKEN);
    assertThat(events.toString()).doesNotContain(PASSWORD, TOKEN);
    assertThat(everything(planDir)).isEmpty();
  }

  @Test
  void referencesAreKeptInThePlanfileAndTheProbeSendsTheCredentialsFromTheEnvironment()
      throws Exception {
    Path plan =
        files.write(
            "deployer.yml",
            plan("http://ops:${env:HEALTH_PASSWORD}@" + base(), "Bearer ${env:HEALTH_TOKEN}"));
    Path planDir = dir.resolve(".deployer");

    build(plan, planDir);

    String planfile = Files.readString(planDir.resolve("planfile"));
    assertThat(planfile)
        .contains("url: http://ops:${env:HEALTH_PASSWORD}@" + base())
        .contains("Authorization: Bearer ${env:HEALTH_TOKEN}")
        .contains("on_error: error");
    assertThat(files.warnings()).isEmpty();

    // What up does with the monitor read back from the plan directory.
    Monitor health = PlanDirectory.open(planDir).plan().monitors().get(0);
    ProbeResult result =
        Probes.create(
                health,
                List.of(),
                Map.of("HEALTH_PASSWORD", PASSWORD, "HEALTH_TOKEN", TOKEN),
                planDir,
                r -> null)
            .probe();

    assertThat(result.success()).as(result.detail()).isTrue();
    assertThat(result.detail()).doesNotContain(PASSWORD, TOKEN);
    Map<String, List<String>> headers = seen.take();
    // An explicit Authorization header wins over the URL's user and password.
    assertThat(headers.get("Authorization")).containsExactly("Bearer " + TOKEN);
    assertThat(everything(planDir)).doesNotContain(PASSWORD, TOKEN);
  }

  @Test
  void aUrlPasswordFromTheEnvironmentIsSentAsBasicAuth() throws Exception {
    Path plan =
        files.write(
            "deployer.yml",
            """
            monitors:
              - {name: health, type: http, http: {url: 'http://ops:${env:HEALTH_PASSWORD}@%s'}}
            releases:
              - {name: api, namespace: shop, chart: ./ok, monitors: [health]}
            """
                .formatted(base()));
    Path planDir = dir.resolve(".deployer");
    build(plan, planDir);

    Monitor health = PlanDirectory.open(planDir).plan().monitors().get(0);
    ProbeResult result =
        Probes.create(health, List.of(), Map.of("HEALTH_PASSWORD", PASSWORD), planDir, r -> null)
            .probe();

    assertThat(result.success()).as(result.detail()).isTrue();
    assertThat(seen.take().get("Authorization"))
        .containsExactly(okhttp3.Credentials.basic("ops", PASSWORD));
  }
}
