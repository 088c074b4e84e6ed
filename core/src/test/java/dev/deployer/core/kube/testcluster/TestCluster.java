package dev.deployer.core.kube.testcluster;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A real Kubernetes control plane for tests: {@code testcluster/} (etcd, kube-apiserver, the
 * controllers a deploy needs and simulated nodes, all in one Go program) started once per test JVM
 * and stopped when the JVM ends.
 *
 * <pre>{@code
 * @RegisterExtension static final TestCluster cluster = TestCluster.shared();
 *
 * String ns = cluster.namespace("shop");          // fresh, deleted after the test
 * cluster.client().apps().deployments().inNamespace(ns).resource(deployment).create();
 * helm.withKubeConfig(cluster.kubeconfigPath());
 * }</pre>
 *
 * <p>Or {@code @ExtendWith(TestCluster.class)} with a {@code TestCluster} parameter (constructor,
 * test or lifecycle method): the same single control plane.
 *
 * <p>The first start builds the program (minutes, once per machine: it is cached under {@code
 * ~/.cache/deployer/testcluster}); later starts take seconds. Without Go the calling test is
 * skipped saying so, or failed when {@code DEPLOYER_REQUIRE_TEST_SERVERS=1} (as CI sets it).
 *
 * <p>Failures on purpose, chosen by name (the knobs the shared instance starts with):
 *
 * <ul>
 *   <li>{@value #NEVER_READY}: pods whose name starts so run but never become ready (a Deployment
 *       named {@code never-ready-web} has such pods);
 *   <li>{@value #CRASHLOOP}: long-running pods become ready, then crash-loop (restart count grows,
 *       last state terminated with exit code 1, waiting in {@code CrashLoopBackOff});
 *   <li>{@value #FAIL}: pods of a Job (or run-to-completion pods) so named exit with code 1, so the
 *       job controller fails the Job with {@code BackoffLimitExceeded}.
 * </ul>
 *
 * <p>Other behaviour: three Ready nodes; pods are bound round-robin and Running/Ready about at
 * once; pods with restart policy Never or OnFailure (Job pods, Helm test hooks) succeed about a
 * second after they start; LoadBalancer Services get an ingress IP from 192.0.2.0/24; PVCs of the
 * default StorageClass {@code standard} are bound to a volume made for them, others stay Pending.
 */
public final class TestCluster
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** Pod name prefix: Running but never Ready. */
  public static final String NEVER_READY = "never-ready-";

  /** Pod name prefix: ready, then crash-looping. */
  public static final String CRASHLOOP = "crashloop-";

  /** Job or pod name prefix: the pods fail with exit code 1. */
  public static final String FAIL = "fail-";

  /** LoadBalancer Services whose name starts so never get an address. */
  public static final String NO_ADDRESS = "no-address-";

  static final Map<String, String> KNOBS =
      Map.of(
          "TESTCLUSTER_NEVER_READY", "^" + NEVER_READY + ".*",
          "TESTCLUSTER_CRASH", "^" + CRASHLOOP + ".*",
          "TESTCLUSTER_JOB_FAIL", "^" + FAIL + ".*",
          "TESTCLUSTER_NO_ADDRESS", "^" + NO_ADDRESS + ".*");

  static final String GO_HINT =
      "requires Go (1.26 or newer) on the PATH to build the test control plane in testcluster/"
          + " (https://go.dev/dl/)";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(40);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final TestCluster SHARED = new TestCluster();

  private Running running;
  private String failure;
  private final List<String> testNamespaces = new ArrayList<>();
  private final List<String> classNamespaces = new ArrayList<>();
  private boolean inTest;

  /**
   * For {@code @ExtendWith(TestCluster.class)}: every instance stands for the same control plane
   * and namespace bookkeeping as {@link #shared()}; a test gets it as a {@code TestCluster}
   * parameter.
   */
  public TestCluster() {}

  /** The one control plane of this JVM, started by the first test class that uses it. */
  public static TestCluster shared() {
    return SHARED;
  }

  /** The kubeconfig file (context {@code testcluster}, certificates embedded). */
  public Path kubeconfigPath() {
    if (this != SHARED) {
      return SHARED.kubeconfigPath();
    }
    return started().kubeconfig;
  }

  /** The kubeconfig's YAML. */
  public String kubeconfigContents() {
    if (this != SHARED) {
      return SHARED.kubeconfigContents();
    }
    try {
      return Files.readString(kubeconfigPath(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A fabric8 client authenticated as a cluster administrator (group system:masters). */
  public KubernetesClient client() {
    if (this != SHARED) {
      return SHARED.client();
    }
    return started().client;
  }

  /** The directory with the control plane's log, pid, kubeconfig and data. */
  public Path directory() {
    if (this != SHARED) {
      return SHARED.directory();
    }
    return started().dir;
  }

  /** The last lines of the control plane's log, for assertion messages. */
  public String logTail() {
    if (this != SHARED) {
      return SHARED.logTail();
    }
    return Processes.tail(started().dir.resolve("testcluster.log"), 60);
  }

  /**
   * Creates a namespace named {@code prefix-<random>} and returns its name. It is deleted after the
   * current test (or after the test class when created outside a test, e.g. in {@code @BeforeAll}).
   */
  public synchronized String namespace(String prefix) {
    if (this != SHARED) {
      return SHARED.namespace(prefix);
    }
    String name =
        (prefix.toLowerCase(Locale.ROOT)
                + "-"
                + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36))
            .replaceAll("[^a-z0-9-]", "-");
    if (name.length() > 63) {
      name = name.substring(name.length() - 63).replaceAll("^-+", "");
    }
    client()
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    (inTest ? testNamespaces : classNamespaces).add(name);
    return name;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (this != SHARED) {
      SHARED.beforeAll(context);
      return;
    }
    started();
    // JUnit closes AutoCloseable values of the root store when the whole run ends; the shutdown
    // hook covers runs that end otherwise.
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(TestCluster.class))
        .getOrComputeIfAbsent("stopper", k -> (AutoCloseable) this::stop);
  }

  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (this != SHARED) {
      SHARED.beforeEach(context);
      return;
    }
    inTest = true;
  }

  @Override
  public synchronized void afterEach(ExtensionContext context) {
    if (this != SHARED) {
      SHARED.afterEach(context);
      return;
    }
    inTest = false;
    deleteAll(testNamespaces);
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) {
    if (this != SHARED) {
      SHARED.afterAll(context);
      return;
    }
    deleteAll(classNamespaces);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == TestCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return SHARED;
  }

  private void deleteAll(List<String> names) {
    if (running != null) {
      for (String name : names) {
        try {
          running.client.namespaces().withName(name).delete();
        } catch (RuntimeException e) {
          // the namespace controller or the test already removed it; nothing to clean up
        }
      }
    }
    names.clear();
  }

  private synchronized Running started() {
    if (running != null) {
      return running;
    }
    if (failure == null) {
      try {
        running = start();
        Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "testcluster-stop"));
        return running;
      } catch (MissingTool e) {
        failure = e.getMessage();
      } catch (IOException | RuntimeException e) {
        failure = "the test control plane did not start: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure = "interrupted while starting the test control plane";
      }
    }
    if ("1".equals(System.getenv("DEPLOYER_REQUIRE_TEST_SERVERS"))) {
      fail(failure + " (DEPLOYER_REQUIRE_TEST_SERVERS=1: this test may not be skipped)");
    }
    assumeTrue(false, failure);
    throw new AssertionError("unreachable");
  }

  private static Running start() throws IOException, InterruptedException {
    Path root = Processes.repositoryRoot();
    if (Processes.onPath("go").isEmpty()) {
      throw new MissingTool(GO_HINT);
    }
    Path dir =
        Path.of("target", "testcluster", Long.toString(ProcessHandle.current().pid()))
            .toAbsolutePath();
    Files.createDirectories(dir);
    Processes.Result build =
        Processes.run(
            List.of(root.resolve("testcluster/build").toString()), Map.of(), BUILD_TIMEOUT);
    if (build.exitCode() == 3) {
      throw new MissingTool(GO_HINT + ": " + build.stderr().strip());
    }
    if (build.exitCode() != 0) {
      throw new IOException(
          "testcluster/build failed:\n" + Processes.lastLines(build.stderr(), 40));
    }
    Processes.Result start =
        Processes.run(
            List.of(root.resolve("testcluster/start").toString(), dir.toString()),
            startEnvironment(),
            START_TIMEOUT);
    if (start.exitCode() != 0) {
      throw new IOException(
          "testcluster/start "
              + dir
              + " exited with "
              + start.exitCode()
              + ":\n"
              + Processes.lastLines(start.stderr(), 60)
              + "\nlog: "
              + Processes.tail(dir.resolve("testcluster.log"), 40));
    }
    Path kubeconfig = Path.of(start.stdout().strip());
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(Files.readString(kubeconfig)))
            .build();
    return new Running(root, dir, kubeconfig, client);
  }

  /**
   * The knobs, and this JVM as the owner: the control plane stops by itself when the JVM is gone.
   */
  private static Map<String, String> startEnvironment() {
    Map<String, String> env = new HashMap<>(KNOBS);
    env.put("TESTCLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
    return env;
  }

  private synchronized void stop() {
    Running r = running;
    if (r == null) {
      return;
    }
    running = null;
    failure = "the test control plane was stopped";
    r.client.close();
    try {
      Processes.run(
          List.of(r.root.resolve("testcluster/stop").toString(), r.dir.toString()),
          Map.of(),
          Duration.ofSeconds(30));
    } catch (IOException e) {
      // the JVM is ending; the control plane notices its owner is gone and stops by itself
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Running(Path root, Path dir, Path kubeconfig, KubernetesClient client) {}

  /** A tool a test needs is not installed: skip (or fail in CI) saying what to install. */
  static final class MissingTool extends RuntimeException {
    MissingTool(String message) {
      super(message);
    }
  }
}
