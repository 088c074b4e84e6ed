package dev.deployer.core.monitor;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code prometheus} server (Debian's package) on a free loopback port, with a temporary
 * configuration and data directory, scraping one target every second. When the binary is missing
 * the calling test is skipped saying what to install, or failed when {@code
 * DEPLOYER_REQUIRE_TEST_SERVERS=1} (as CI sets it).
 */
final class PrometheusServer implements AutoCloseable {
  static final String INSTALL_HINT =
      "requires the prometheus server binary on the PATH: apt-get install -y prometheus";

  private final Process process;
  private final Path log;
  private final int port;

  private PrometheusServer(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** The binary, or a skipped (or, in CI, failed) test. */
  static Path binaryOrSkip() {
    Optional<Path> found = binary();
    if (found.isEmpty()) {
      if ("1".equals(System.getenv("DEPLOYER_REQUIRE_TEST_SERVERS"))) {
        fail(INSTALL_HINT + " (DEPLOYER_REQUIRE_TEST_SERVERS=1: this test may not be skipped)");
      }
      assumeTrue(false, INSTALL_HINT);
    }
    return found.get();
  }

  static Optional<Path> binary() {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "prometheus");
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Starts Prometheus scraping {@code target} ({@code host:port}) as job {@code app}.
   *
   * @param webConfig the contents of a {@code --web.config.file} (TLS, basic auth), if any
   */
  static PrometheusServer start(Path binary, Path dir, String target, Optional<String> webConfig)
      throws IOException {
    int port = LoopbackPorts.free();
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "  evaluation_interval: 1s",
            "scrape_configs:",
            "  - job_name: app",
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.add("--config.file=" + config);
    command.add("--storage.tsdb.path=" + dir.resolve("data"));
    command.add("--web.listen-address=127.0.0.1:" + port);
    if (webConfig.isPresent()) {
      Path web = dir.resolve("web.yml");
      Files.writeString(web, webConfig.get());
      command.add("--web.config.file=" + web);
    }
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .directory(dir.toFile())
            .start();
    return new PrometheusServer(process, log, port);
  }

  int port() {
    return port;
  }

  boolean alive() {
    return process.isAlive();
  }

  String log() {
    try {
      String text = Files.readString(log, StandardCharsets.UTF_8);
      return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
