package dev.deployer.core.kube.testcluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Running the scripts in {@code testcluster/} from tests. */
final class Processes {
  private Processes() {}

  /** What a finished command printed. */
  record Result(int exitCode, String stdout, String stderr) {}

  /**
   * Runs {@code command} with extra environment variables, its output captured through files (a
   * child left running in the background must not hold a pipe open). Past {@code timeout} the
   * command and its children are killed and an IOException names it.
   */
  static Result run(List<String> command, Map<String, String> env, Duration timeout)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("testcluster-out", ".txt");
    Path err = Files.createTempFile("testcluster-err", ".txt");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new IOException(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + ":\n"
                + lastLines(Files.readString(err, StandardCharsets.UTF_8), 40));
      }
      return new Result(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /**
   * The repository's top directory: the nearest ancestor of the working directory with {@code
   * testcluster/start}.
   */
  static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isExecutable(dir.resolve("testcluster/start"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "no testcluster/start in " + Path.of("").toAbsolutePath() + " or any directory above it");
  }

  static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  static String lastLines(String text, int lines) {
    String[] all = text.split("\n", -1);
    int from = Math.max(0, all.length - lines);
    return String.join("\n", java.util.Arrays.asList(all).subList(from, all.length));
  }

  static String tail(Path file, int lines) {
    try {
      return lastLines(Files.readString(file, StandardCharsets.UTF_8), lines);
    } catch (IOException e) {
      return "(no " + file + ": " + e.getMessage() + ")";
    }
  }
}
