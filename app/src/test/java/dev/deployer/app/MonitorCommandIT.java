package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.fixture.KubeFixture;
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
  @RegisterExtension static final KubeFixture kube = new KubeFixture();

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
        .startsWith(
            "api@mon: rolled back after 1 query (now revision 3); last: at most 0 expected, fails: the query returned 1 series");
    assertThat(kube.client().configMaps().inNamespace("mon").withName("api").get().getData())
        .containsEntry("level", "info");
    assertThat(cli.err())
        .contains("monitor prometheus: probe 1 failed (at most 0 expected, fails: ")
        .contains("streak 1/1");
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
}
