package dev.deployer.core.fake;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.TestFiles;
import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.ReleaseReport;
import dev.deployer.core.deploy.RollbackScope;
import dev.deployer.core.deploy.RunReport;
import dev.deployer.core.deploy.UpRequest;
import dev.deployer.core.event.Event;
import dev.deployer.core.graph.Selection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A deployer on fakes, for tests of policy: plans are built into a real plan directory with the
 * real {@link PlanBuilder} (the {@link FakeEngine} "renders"), then deployed by the real {@link
 * Deployer} against a {@link FakeCluster}, with {@link FakeProbes}. A local chart {@code ./ok} is
 * there to refer to. Nothing waits: a run takes milliseconds.
 */
public final class FakeDeploy {
  public final PlanFiles files;
  public final FakeEngine engine = new FakeEngine();
  public final FakeCluster cluster = new FakeCluster(engine);
  public final FakeProbes probes = new FakeProbes();
  public final Deployer deployer;

  /** The warnings and other events of every command run, in order. */
  public final List<Event> events = new CopyOnWriteArrayList<>();

  private final Map<String, String> env;

  public FakeDeploy(Path dir) {
    files = new PlanFiles(dir);
    files.chart("ok");
    env = Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    deployer = new Deployer(cluster, env, probes);
  }

  /**
   * Builds the plan text into a plan directory, as {@code deployer build} does, and returns it.
   * Building is the slow part of a test on fakes, and its output depends on its inputs only: a plan
   * built before in this JVM from the same files (plan, charts, values) is reused, and its build's
   * warnings are not heard again. Commands only read a plan directory.
   */
  public Path build(String plan) {
    files.write("deployer.yml", plan);
    String key = digest(files.dir());
    return BUILT.computeIfAbsent(
        key,
        k -> {
          Path base = cache().resolve(k);
          copy(files.dir(), base);
          Path planDir = base.resolve(".deployer");
          new PlanBuilder(engine, new ChartFetcher(), env, Optional.empty())
              .build(
                  new BuildRequest(
                      base.resolve("deployer.yml"),
                      planDir,
                      Selection.ALL,
                      1,
                      BuildRequest.DiffMode.NONE,
                      false),
                  events::add);
          return planDir;
        });
  }

  /** Plan directories built in this JVM, by a digest of their inputs. */
  private static final Map<String, Path> BUILT = new ConcurrentHashMap<>();

  private static Path cacheDir;

  private static synchronized Path cache() {
    if (cacheDir == null) {
      try {
        cacheDir = Files.createTempDirectory("fake-deploy-plans");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Path dir = cacheDir;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(dir)));
    }
    return cacheDir;
  }

  /** A digest of every file under {@code dir}, by relative path and content. */
  private static String digest(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
        sha.update(dir.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(Files.readAllBytes(f));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(Path from, Path to) {
    try {
      TestFiles.copyTree(from, to);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path f : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(f);
      }
    } catch (IOException e) {
      // A temporary folder left behind is harmless.
    }
  }

  /**
   * What {@code up} is asked here unless a test says otherwise: every release, one at a time (so
   * the calls come in the graph's order), a short lock timeout, scope {@code release}.
   */
  public static UpRequest request(Path planDir) {
    return new UpRequest(
        planDir, Selection.ALL, 1, false, false, RollbackScope.RELEASE, Duration.ofMillis(100));
  }

  public RunReport up(Path planDir) {
    return up(request(planDir));
  }

  public RunReport up(UpRequest request) {
    return deployer.up(request, events::add, new Cancellation());
  }

  /** {@code up} with {@code --rollback-scope}. */
  public RunReport up(Path planDir, RollbackScope scope) {
    UpRequest r = request(planDir);
    return up(
        new UpRequest(
            r.planDir(), r.selection(), r.parallelLimit(), false, false, scope, r.lockTimeout()));
  }

  /** {@code up --rollback-on-failure plan}. */
  public RunReport upRollingBackThePlanOnFailure(Path planDir) {
    UpRequest r = request(planDir);
    return up(
        new UpRequest(
            r.planDir(),
            r.selection(),
            r.parallelLimit(),
            false,
            true,
            r.rollbackScope(),
            r.lockTimeout()));
  }

  public RunReport down(Path planDir, Selection selection, boolean force) {
    return deployer.down(
        planDir, selection, force, 1, Duration.ofMillis(100), events::add, new Cancellation());
  }

  public RunReport rollback(Path planDir, Selection selection) {
    return deployer.rollback(
        planDir,
        selection,
        Optional.empty(),
        1,
        Duration.ofMillis(100),
        events::add,
        new Cancellation());
  }

  /** A selection of releases by tag, without their dependencies. */
  public static Selection tagged(String tag) {
    return new Selection(List.of(tag), false, false);
  }

  /** The run's monitors as {@code name outcome action}, in the order the report gives them. */
  public static List<String> monitorLines(RunReport report) {
    return report.monitors().stream()
        .map(m -> m.monitor() + " " + m.outcome() + " " + m.action())
        .toList();
  }

  /**
   * A report line as a user reads it: {@code outcome before->after: reason}, {@code -} for a
   * revision there is none of.
   */
  public static String line(RunReport report, String release) {
    ReleaseReport r =
        report.releases().stream()
            .filter(x -> x.release().equals(release))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no line for " + release + " in " + report));
    return r.outcome().word()
        + " "
        + r.revisionBefore().map(String::valueOf).orElse("-")
        + "->"
        + r.revisionAfter().map(String::valueOf).orElse("-")
        + r.reason().map(x -> ": " + x).orElse("");
  }

  /** The warnings of the runs so far, as a user reads them. */
  public List<String> warnings() {
    return events.stream()
        .filter(Event.Warning.class::isInstance)
        .map(e -> ((Event.Warning) e).problem().message())
        .toList();
  }
}
