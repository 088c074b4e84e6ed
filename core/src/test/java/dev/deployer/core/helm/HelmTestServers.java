package dev.deployer.core.helm;

import static org.junit.jupiter.api.Assertions.fail;

import dev.deployer.core.chart.StaticChartRepository;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Assumptions;

/**
 * Servers for chart fetching tests: a classic chart repository ({@link StaticChartRepository}, in
 * this JVM) and an OCI registry (distribution's registry, in a small Go program of ours, {@code
 * core/src/test/go/ociregistry}).
 *
 * <p>The registry program is built by its {@code build.sh} the first time (minutes on a small
 * machine, then cached per machine outside {@code target/}). Without Go the calling test is skipped
 * with a message saying so, or failed when {@code DEPLOYER_REQUIRE_TEST_SERVERS=1} (as CI sets it).
 */
public final class HelmTestServers {

  static final String GO_HINT =
      "the test OCI registry requires Go (the version in core/src/test/go/ociregistry/go.mod or"
          + " newer) on the PATH to build it (https://go.dev/dl/)";

  private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String BUILD_SCRIPT = "src/test/go/ociregistry/build.sh";

  /** Servers started through the string-returning methods, by the URL or host they returned. */
  private static final Map<String, AutoCloseable> RUNNING = new ConcurrentHashMap<>();

  private static Path program;

  private HelmTestServers() {}

  /**
   * Starts a chart repository serving copies of the files matching {@code glob} and an index of
   * them at its root; with a username and password it answers 401 to requests without them. Stop it
   * with {@link #stop}.
   *
   * @return the repository URL, {@code http://127.0.0.1:PORT}
   */
  public static String startRepository(String glob, String username, String password) {
    Path pattern = Path.of(glob);
    List<Path> archives = new ArrayList<>();
    try (var found =
        Files.newDirectoryStream(pattern.getParent(), pattern.getFileName().toString())) {
      found.forEach(archives::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Collections.sort(archives);
    StaticChartRepository repository = StaticChartRepository.start(username, password);
    repository.charts("/", archives);
    String url = repository.url().toString();
    RUNNING.put(url, repository);
    return url;
  }

  /**
   * Starts an empty OCI registry that requires the username and password. Stop it with {@link
   * #stop}; it also ends with the JVM.
   *
   * @return the registry's {@code 127.0.0.1:PORT}
   */
  public static String startRegistry(String username, String password) {
    OciRegistry registry = registry(username, password, null);
    RUNNING.put(registry.host(), registry);
    return registry.host();
  }

  /** Stops a server started by {@link #startRepository} or {@link #startRegistry}. */
  public static void stop(String urlOrHost) {
    AutoCloseable server = RUNNING.remove(urlOrHost);
    if (server != null) {
      try {
        server.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot stop " + urlOrHost, e);
      }
    }
  }

  /**
   * Starts an OCI registry (in memory, plain HTTP on 127.0.0.1) and pushes the charts matching
   * {@code pushGlob} into it, as {@code helm push ARCHIVE oci://HOST/charts} would.
   *
   * @param username the user the registry requires; null for anonymous access
   * @param password that user's password
   * @param pushGlob packaged charts to push, e.g. {@code /tmp/packages/*.tgz}; null for none
   */
  public static OciRegistry registry(String username, String password, String pushGlob) {
    List<String> command = new ArrayList<>(List.of(program().toString(), "-repo", "charts"));
    if (username != null) {
      command.addAll(List.of("-user", username, "-password", password));
    }
    if (pushGlob != null) {
      command.addAll(List.of("-push", pushGlob));
    }
    try {
      return OciRegistry.start(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A running registry program; {@link #close()} stops it. */
  public static final class OciRegistry implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String host;
    private final Map<String, String> pushed;

    private OciRegistry(Process process, Path log, String host, Map<String, String> pushed) {
      this.process = process;
      this.log = log;
      this.host = host;
      this.pushed = pushed;
    }

    private static OciRegistry start(List<String> command) throws IOException {
      Path log = Files.createTempFile("ociregistry", ".log");
      Process process =
          new ProcessBuilder(command)
              .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
              .start();
      Map<String, String> pushed = Collections.synchronizedMap(new LinkedHashMap<>());
      CompletableFuture<String> ready = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = out.readLine()) != null) {
                    String[] words = line.split(" ");
                    if (words[0].equals("PUSHED") && words.length == 3) {
                      pushed.put(words[1], words[2]);
                    } else if (words[0].equals("READY") && words.length == 2) {
                      ready.complete(words[1]);
                    }
                  }
                } catch (IOException e) {
                  // the program ended; the checks below report it
                }
                ready.completeExceptionally(new IOException("the registry program exited"));
              },
              "ociregistry-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        String host = ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return new OciRegistry(process, log, host, Map.copyOf(pushed));
      } catch (ExecutionException | TimeoutException e) {
        stop(process);
        throw new IllegalStateException(
            String.join(" ", command)
                + (e instanceof TimeoutException
                    ? " did not report READY within " + START_TIMEOUT
                    : " exited before it was ready (exit code " + exitCode(process) + ")")
                + ":\n"
                + tail(log, 40));
      } catch (InterruptedException e) {
        stop(process);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the registry", e);
      }
    }

    /** {@code 127.0.0.1:PORT}, as it goes in {@code oci://} references. */
    public String host() {
      return host;
    }

    /**
     * The charts pushed at start: {@code oci://HOST/charts/NAME:TAG} (a '+' in the version is '_'
     * in the tag) to the digest of the chart layer, i.e. of the archive.
     */
    public Map<String, String> pushed() {
      return pushed;
    }

    /** The last lines the program logged (distribution and Helm's registry client). */
    public String logTail() {
      return tail(log, 40);
    }

    /** Closes the program's standard input, which ends it; destroys it if it lingers. */
    @Override
    public void close() {
      stop(process);
      try {
        Files.deleteIfExists(log);
      } catch (IOException e) {
        // a log left in the temp directory is harmless
      }
    }

    private static void stop(Process process) {
      try {
        process.getOutputStream().close();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroy();
          if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
          }
        }
      } catch (IOException e) {
        process.destroyForcibly();
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    private static String exitCode(Process process) {
      try {
        return process.waitFor(2, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "?";
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "?";
      }
    }
  }

  /**
   * The registry program, built (or found in the build cache) by its build script once per JVM.
   * Skips the calling test when Go is missing, unless {@code DEPLOYER_REQUIRE_TEST_SERVERS=1}.
   */
  private static synchronized Path program() {
    if (program != null) {
      return program;
    }
    Path script = buildScript();
    Path out = null;
    Path err = null;
    try {
      out = Files.createTempFile("ociregistry-build", ".out");
      err = Files.createTempFile("ociregistry-build", ".err");
      Process build =
          new ProcessBuilder("bash", script.toString())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      if (!build.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        build.descendants().forEach(ProcessHandle::destroyForcibly);
        build.destroyForcibly();
        throw new IllegalStateException(
            script + " did not finish within " + BUILD_TIMEOUT + ":\n" + tail(err, 40));
      }
      if (build.exitValue() == 3) {
        missing(GO_HINT);
      }
      if (build.exitValue() != 0) {
        throw new IllegalStateException(
            script + " failed (exit code " + build.exitValue() + "):\n" + tail(err, 40));
      }
      Path built = Path.of(Files.readString(out).strip());
      if (!Files.isExecutable(built)) {
        throw new IllegalStateException(script + " printed no program: " + built);
      }
      program = built;
      return built;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the test OCI registry", e);
    } finally {
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static Path buildScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      for (Path candidate :
          List.of(dir.resolve(BUILD_SCRIPT), dir.resolve("core/" + BUILD_SCRIPT))) {
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "no " + BUILD_SCRIPT + " in " + Path.of("").toAbsolutePath() + " or above it");
  }

  /** Skips the test, or fails it when CI requires every test server. */
  private static void missing(String message) {
    if ("1".equals(System.getenv("DEPLOYER_REQUIRE_TEST_SERVERS"))) {
      fail(message + " (DEPLOYER_REQUIRE_TEST_SERVERS=1 forbids skipping)");
    }
    Assumptions.abort(message);
  }

  private static String tail(Path file, int lines) {
    try {
      List<String> all = Arrays.asList(Files.readString(file).split("\n", -1));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
