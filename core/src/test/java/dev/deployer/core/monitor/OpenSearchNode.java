package dev.deployer.core.monitor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.action.support.WriteRequest;

/**
 * A real single-node OpenSearch in the test JVM, on free loopback ports, with its data under a
 * directory the test owns. Close it to stop the node.
 */
final class OpenSearchNode implements AutoCloseable {

  private final OpenSearchRunner runner;
  private final int httpPort;
  private final Duration startup;

  private OpenSearchNode(OpenSearchRunner runner, int httpPort, Duration startup) {
    this.runner = runner;
    this.httpPort = httpPort;
    this.startup = startup;
  }

  /** Starts a node whose home, data and logs are under {@code baseDirectory}. */
  static OpenSearchNode start(Path baseDirectory) {
    // Netty allows setting its processor count once per JVM, and the Kubernetes client's Netty
    // (Vert.x) already read it when other tests ran first: "availableProcessors is already set".
    System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
    int httpPort = LoopbackPorts.free();
    int transportPort = LoopbackPorts.free();
    long started = System.nanoTime();
    OpenSearchRunner runner = new OpenSearchRunner();
    runner.onBuild(
        (index, settings) -> {
          settings.put("network.host", "127.0.0.1");
          settings.put("http.port", String.valueOf(httpPort));
          settings.put("transport.port", String.valueOf(transportPort));
          settings.put("discovery.type", "single-node");
          settings.putList("node.roles", "cluster_manager", "data", "ingest");
        });
    try {
      runner.build(
          OpenSearchRunner.newConfigs()
              .basePath(baseDirectory.toString())
              .numOfNode(1)
              .clusterName("deployer-probe-test")
              .useLogger()
              .disableESLogger());
      runner.ensureYellow();
    } catch (RuntimeException e) {
      closeQuietly(runner, e);
      throw e;
    }
    return new OpenSearchNode(runner, httpPort, Duration.ofNanos(System.nanoTime() - started));
  }

  /** {@code http://127.0.0.1:<port>}. */
  String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** How long {@link #start} took, up to a yellow cluster. */
  Duration startup() {
    return startup;
  }

  /** Indexes a document, visible to searches at once. */
  void index(String index, String id, Map<String, ?> source) {
    runner
        .client()
        .prepareIndex(index)
        .setId(id)
        .setSource(source)
        .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE)
        .get();
  }

  @Override
  public void close() {
    try {
      runner.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop the OpenSearch node", e);
    }
  }

  private static void closeQuietly(OpenSearchRunner runner, RuntimeException failure) {
    try {
      runner.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
