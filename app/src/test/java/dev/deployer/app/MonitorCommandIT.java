package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code deployer monitor prometheus} on a deployed release, against a Prometheus-shaped API. */
@Timeout(120)
class MonitorCommandIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  static final String EMPTY =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
  static final String ONE_SERIES =
      "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"code\":\"500\"},\"value\":[1,\"0.4\"]}]}}";

  @TempDir Path dir;
  final AtomicReference<String> answer = new AtomicReference<>(EMPTY);
  HttpServer prometheus;
  Map<String, String> env;

  @BeforeEach
  void setUp() throws Exception {
    prometheus = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    prometheus.createContext(
        "/api/v1/query",
        exchange -> {
          byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    prometheus.start();
    env =
        new TreeMap<>(
            Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", kube.kubeconfigPath().toString()));
    PlanFiles files = new PlanFiles(dir);
    files.chart("ok");
    files.write(
        "ok/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: api\ndata:\n  level: {{ .Values.level | quote }}\n");
    Path plan =
        files.write(
            "deployer.yml",
            "releases: [{name: api, namespace: mon, create_namespace: true, chart: ./ok, values: [v.yml]}]\n");
    for (String level : new String[] {"info", "debug"}) {
      files.write("v.yml", "level: " + level + "\n");
      Cli up =
          Cli.run(
              env,
              "up",
              "--build",
              "-f",
              plan.toString(),
              "--plandir",
              dir.resolve("p").toString());
      assertThat(up.exitCode()).as(up.err()).isZero();
    }
  }

  @AfterEach
  void tearDown() {
    prometheus.stop(0);
  }

  String url() {
    return "http://127.0.0.1:" + prometheus.getAddress().getPort();
  }

  @Test
  void aQueryWithResultsRollsTheReleaseBack() {
    answer.set(ONE_SERIES);
    Cli cli =
        Cli.run(
            env,
            "monitor",
            "prometheus",
            "api",
            "-n",
            "mon",
            "--prometheus",
            url(),
            "rate(http_requests_total{code=~\"5..\"}[5m]) > 0",
            "--interval",
            "100ms",
            "--timeout",
            "20s");
    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .containsPattern(
            "^api@mon: rolled back after 1 query \\(now revision \\d+\\); last: at most 0 expected, fails: the query returned 1 series");
    assertThat(kube.client().configMaps().inNamespace("mon").withName("api").get().getData())
        .containsEntry("level", "info");
    assertThat(cli.err())
        .contains("monitor prometheus: probe 1 failed (at most 0 expected, fails: ")
        .contains("streak 1/1")
        // The rollback is told as it starts and as it ends.
        .contains("rollback api@mon: monitor prometheus failed\n")
        .containsPattern("rollback api@mon: rolled back to revision \\d+ in \\d+(ms|s)\n");
  }

  @Test
  void aPrometheusThatCannotBeQueriedEndsTheWatchNonZeroWithoutARollback() {
    prometheus.removeContext("/api/v1/query");
    prometheus.createContext(
        "/api/v1/query",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    Cli cli =
        Cli.run(
            env,
            "monitor",
            "prometheus",
            "api",
            "-n",
            "mon",
            "--prometheus",
            url(),
            "up == 0",
            "--interval",
            "100ms",
            "--timeout",
            "20s");

    assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.FAILED);
    assertThat(cli.out())
        .startsWith("api@mon: error after 3 queries; last: Prometheus at ")
        .contains("answered HTTP 503");
    assertThat(cli.err()).contains("monitor prometheus: probe 3 error (").contains("streak 3/3");
    assertThat(kube.client().configMaps().inNamespace("mon").withName("api").get().getData())
        .as("not rolled back")
        .containsEntry("level", "debug");
  }

  @Test
  void resultsWithinTheExpectedCountOrNoneLeaveTheReleaseAlone() {
    answer.set(ONE_SERIES);
    Cli tolerated =
        Cli.run(
            env,
            "monitor",
            "prometheus",
            "api",
            "-n",
            "mon",
            "--prometheus",
            url(),
            "q",
            "--expected-result-count",
            "1",
            "--interval",
            "100ms",
            "--timeout",
            "500ms");
    assertThat(tolerated.exitCode()).as(tolerated.err()).isZero();
    assertThat(tolerated.out()).startsWith("api@mon: healthy after ");
    answer.set(EMPTY);
    Cli healthy =
        Cli.run(
            env,
            "monitor",
            "prometheus",
            "api",
            "-n",
            "mon",
            "--prometheus",
            url(),
            "q",
            "--interval",
            "100ms",
            "--timeout",
            "500ms");
    assertThat(healthy.exitCode()).isZero();
    assertThat(kube.client().configMaps().inNamespace("mon").withName("api").get().getData())
        .containsEntry("level", "debug");
  }

  /** A JDK server answering every request under {@code path} with {@code json}. */
  static HttpServer serve(String path, java.util.function.Supplier<String> json)
      throws java.io.IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        path,
        exchange -> {
          byte[] body = json.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  @Test
  void elasticsearchCountsAboveTheExpectedRollBack() throws Exception {
    HttpServer es =
        serve(
            "/logs-api/_count",
            () -> "{\"count\":3,\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0}}");
    try {
      String url = "http://127.0.0.1:" + es.getAddress().getPort();
      Cli tolerated =
          Cli.run(
              env,
              "monitor",
              "elasticsearch",
              "api",
              "-n",
              "mon",
              "--elasticsearch",
              url,
              "--index",
              "logs-api",
              "status:500",
              "--expected-result-count",
              "3",
              "--interval",
              "100ms",
              "--timeout",
              "500ms");
      assertThat(tolerated.exitCode()).as(tolerated.err()).isZero();
      Cli cli =
          Cli.run(
              env,
              "monitor",
              "elasticsearch",
              "api",
              "-n",
              "mon",
              "--elasticsearch",
              url,
              "--index",
              "logs-api",
              "status:500",
              "--interval",
              "100ms",
              "--timeout",
              "20s");
      assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.out())
          .startsWith("api@mon: rolled back after 1 query (now revision ")
          .contains("); last: 3 documents match \"status:500\" in logs-api (max 0)");
    } finally {
      es.stop(0);
    }
  }

  @Test
  void sentryEventsSinceTheWatchBeganRollBackWithoutPrintingTheToken() throws Exception {
    HttpServer sentry =
        serve(
            "/api/0/projects/acme/api/events/",
            () ->
                "[{\"id\":\"1\",\"eventID\":\"e1\",\"title\":\"TypeError: boom\",\"message\":\"TypeError: boom\","
                    + "\"dateCreated\":\""
                    + java.time.Instant.now()
                    + "\",\"tags\":[{\"key\":\"environment\",\"value\":\"prod\"}]}]");
    try {
      env.put("SENTRY_API_KEY", "s3cr3t-token");
      Cli cli =
          Cli.run(
              env,
              "monitor",
              "sentry",
              "api",
              "-n",
              "mon",
              "--sentry",
              "http://127.0.0.1:" + sentry.getAddress().getPort(),
              "--organization",
              "acme",
              "--project",
              "api",
              "--tag",
              "environment=prod",
              "--interval",
              "200ms",
              "--timeout",
              "20s");
      assertThat(cli.exitCode()).as(cli.err()).isEqualTo(ExitCodes.FAILED);
      assertThat(cli.out()).startsWith("api@mon: rolled back after ");
      assertThat(cli.out() + cli.err()).doesNotContain("s3cr3t-token");
    } finally {
      sentry.stop(0);
    }
  }
}
