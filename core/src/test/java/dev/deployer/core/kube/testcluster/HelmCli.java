package dev.deployer.core.kube.testcluster;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real {@code helm} CLI, v3 ({@value #V3}) or v4 ({@value #V4}), built with {@code go install}
 * by {@code testcluster/helm-cli} once per machine, run against a kubeconfig with its config, cache
 * and data directories under {@code target/helm-cli/}.
 *
 * <pre>{@code
 * HelmCli helm = HelmCli.v4();
 * HelmCli.Result r = helm.run(cluster.kubeconfigPath(), "history", "api", "-n", ns);
 * assertThat(r.exitCode()).isZero();
 * }</pre>
 *
 * <p>Without Go the calling test is skipped saying so, or failed when {@code
 * DEPLOYER_REQUIRE_TEST_SERVERS=1}.
 */
public final class HelmCli {
  /** The Helm 3 release built for {@link #v3()}. */
  public static final String V3 = "v3.22.0";

  /** The Helm 4 release built for {@link #v4()}. */
  public static final String V4 = "v4.3.2";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(30);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);
  private static final Map<Integer, Object> BUILT = new ConcurrentHashMap<>();

  private final int major;
  private final Path binary;

  private HelmCli(int major, Path binary) {
    this.major = major;
    this.binary = binary;
  }

  /** What a finished {@code helm} command printed. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** stdout and stderr together, for assertion messages. */
    public String output() {
      return stdout + stderr;
    }
  }

  /** Helm {@value #V3}. */
  public static HelmCli v3() {
    return version(3);
  }

  /** Helm {@value #V4}. */
  public static HelmCli v4() {
    return version(4);
  }

  /** Helm 3 or 4 (built on first use; later calls return at once). */
  public static HelmCli version(int major) {
    if (major != 3 && major != 4) {
      throw new IllegalArgumentException("Helm 3 or 4, not " + major);
    }
    Object built = BUILT.computeIfAbsent(major, HelmCli::build);
    if (built instanceof Path path) {
      return new HelmCli(major, path);
    }
    String failure = (String) built;
    if ("1".equals(System.getenv("DEPLOYER_REQUIRE_TEST_SERVERS"))) {
      fail(failure + " (DEPLOYER_REQUIRE_TEST_SERVERS=1: this test may not be skipped)");
    }
    assumeTrue(false, failure);
    throw new AssertionError("unreachable");
  }

  /** The path of the binary, or why there is none. */
  private static Object build(int major) {
    if (Processes.onPath("go").isEmpty()) {
      return TestCluster.GO_HINT.replace("the test control plane in testcluster/", "helm " + major);
    }
    try {
      Path script = Processes.repositoryRoot().resolve("testcluster/helm-cli");
      Processes.Result r =
          Processes.run(
              List.of(script.toString(), Integer.toString(major)), Map.of(), BUILD_TIMEOUT);
      if (r.exitCode() != 0) {
        return "testcluster/helm-cli " + major + " failed:\n" + Processes.lastLines(r.stderr(), 40);
      }
      return Path.of(r.stdout().strip());
    } catch (IOException e) {
      return "testcluster/helm-cli " + major + ": " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while building helm " + major;
    }
  }

  /** 3 or 4. */
  public int major() {
    return major;
  }

  public Path binary() {
    return binary;
  }

  /** Runs {@code helm args...} with {@code KUBECONFIG=kubeconfig}. */
  public Result run(Path kubeconfig, String... args) {
    return run(kubeconfig, List.of(args));
  }

  /** Runs {@code helm args...} with {@code KUBECONFIG=kubeconfig}. */
  public Result run(Path kubeconfig, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    Path home = Path.of("target", "helm-cli", "v" + major).toAbsolutePath();
    Map<String, String> env = new HashMap<>();
    env.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    env.put("HELM_CONFIG_HOME", home.resolve("config").toString());
    env.put("HELM_CACHE_HOME", home.resolve("cache").toString());
    env.put("HELM_DATA_HOME", home.resolve("data").toString());
    try {
      Files.createDirectories(home);
      Processes.Result r = Processes.run(command, env, RUN_TIMEOUT);
      return new Result(r.exitCode(), r.stdout(), r.stderr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + command, e);
    }
  }
}
