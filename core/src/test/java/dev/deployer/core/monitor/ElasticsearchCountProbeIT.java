package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.plan.Monitor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The {@code elasticsearch} probe against a real OpenSearch node started in the test JVM. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ElasticsearchCountProbeIT {

  @TempDir static Path nodeDirectory;
  @TempDir Path planDirectory;

  private static OpenSearchNode node;

  @BeforeAll
  static void startNode() {
    node = OpenSearchNode.start(nodeDirectory);
    // Measured on 2 cores: about 7 s to a yellow cluster; shown to notice a slower start.
    System.out.println("OpenSearch node started in " + node.startup().toMillis() + " ms");
    node.index("logs-api", "1", Map.of("status", 200, "latency_ms", 12, "message", "ok"));
    node.index("logs-api", "2", Map.of("status", 500, "latency_ms", 1500, "message", "boom"));
    node.index("logs-web", "3", Map.of("status", 500, "latency_ms", 30, "message", "boom"));
    node.index("logs-web", "4", Map.of("status", 404, "latency_ms", 2000, "message", "gone"));
    node.index("audit", "5", Map.of("status", 500, "message", "boom"));
  }

  @AfterAll
  static void stopNode() {
    if (node != null) {
      node.close();
    }
  }

  @Test
  void passesWhileMatchingDocumentsStayWithinMaxCount() throws Exception {
    ProbeResult result = probe(settings("logs-*", "status:500", null, 2)).probe();

    assertThat(result)
        .isEqualTo(ProbeResult.success("2 documents match \"status:500\" in logs-* (max 2)"));
  }

  @Test
  void failsWhenMoreDocumentsMatchThanMaxCount() throws Exception {
    ProbeResult result = probe(settings("logs-*", "status:500", null, 0)).probe();

    assertThat(result)
        .isEqualTo(ProbeResult.failure("2 documents match \"status:500\" in logs-* (max 0)"));
  }

  @Test
  void countsEveryIndexWhenNoneIsGiven() throws Exception {
    ProbeResult result = probe(settings(null, "message:boom", null, 3)).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.success("3 documents match \"message:boom\" in all indices (max 3)"));
  }

  @Test
  void aQueryStringCanCombineFieldsAndRanges() throws Exception {
    ProbeResult result =
        probe(settings("logs-*", "status:[400 TO 599] AND latency_ms:>1000", null, 0)).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.failure(
                "2 documents match \"status:[400 TO 599] AND latency_ms:>1000\" in logs-* (max"
                    + " 0)"));
  }

  @Test
  void readsAQueryDslBodyFromAFileBesideThePlan() throws Exception {
    Files.createDirectories(planDirectory.resolve("monitors"));
    Files.writeString(
        planDirectory.resolve("monitors/slow.json"),
        "{\"query\": {\"range\": {\"latency_ms\": {\"gte\": 1000}}}}");

    ProbeResult failed = probe(settings("logs-*", null, "monitors/slow.json", 1)).probe();
    ProbeResult passed = probe(settings("logs-api", null, "monitors/slow.json", 1)).probe();

    assertThat(failed)
        .isEqualTo(
            ProbeResult.failure(
                "2 documents match the query in monitors/slow.json in logs-* (max 1)"));
    assertThat(passed)
        .isEqualTo(
            ProbeResult.success(
                "1 document matches the query in monitors/slow.json in logs-api (max 1)"));
  }

  @Test
  void aBadQueryStringIsAnErrorWithTheServersReason() throws Exception {
    ProbeResult result = probe(settings("logs-*", "status:(500", null, 0)).probe();

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .startsWith("HTTP 400 from " + node.url() + "/: query_shard_exception: ")
        .contains("Failed to parse query [status:(500]");
  }

  @Test
  void aBadQueryDslIsAnErrorWithTheServersReason() throws Exception {
    Files.writeString(planDirectory.resolve("bad.json"), "{\"query\": {\"no_such_query\": {}}}");

    ProbeResult result = probe(settings("logs-*", null, "bad.json", 0)).probe();

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .startsWith("HTTP 400 from " + node.url() + "/: ")
        .contains("no_such_query");
  }

  @Test
  void aMissingIndexIsAnError() throws Exception {
    ProbeResult result = probe(settings("no-such-index", "status:500", null, 0)).probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.error(
                "HTTP 404 from "
                    + node.url()
                    + "/: index_not_found_exception: no such index [no-such-index]"));
  }

  @Test
  void anUnreachableServerIsAnErrorInsteadOfAnException() throws Exception {
    int closedPort = LoopbackPorts.free();
    Monitor.ElasticsearchProbe settings =
        new Monitor.ElasticsearchProbe(
            "http://127.0.0.1:" + closedPort,
            Optional.of("logs-*"),
            Optional.of("status:500"),
            Optional.empty(),
            0,
            Optional.empty(),
            Optional.empty(),
            false);

    ProbeResult result = probe(settings).probe();

    assertThat(result.error()).isTrue();
    assertThat(result.detail())
        .startsWith("cannot connect to http://127.0.0.1:" + closedPort + "/: ");
  }

  @Test
  void probesFromManyThreadsAtOnce() throws Exception {
    ElasticsearchCountProbe probe = probe(settings("logs-*", "status:500", null, 2));
    List<Callable<ProbeResult>> calls = Collections.nCopies(8, probe::probe);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (Future<ProbeResult> result : pool.invokeAll(calls, 1, TimeUnit.MINUTES)) {
        assertThat(result.get().detail())
            .isEqualTo("2 documents match \"status:500\" in logs-* (max 2)");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private ElasticsearchCountProbe probe(Monitor.ElasticsearchProbe settings) {
    return new ElasticsearchCountProbe(settings, Duration.ofSeconds(10), planDirectory, Map.of());
  }

  private static Monitor.ElasticsearchProbe settings(
      String index, String query, String queryFile, long maxCount) {
    return new Monitor.ElasticsearchProbe(
        node.url(),
        Optional.ofNullable(index),
        Optional.ofNullable(query),
        Optional.ofNullable(queryFile),
        maxCount,
        Optional.empty(),
        Optional.empty(),
        false);
  }
}
