package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The linux-amd64 tarball that {@code mvn package} writes, installed as a user without a JDK would:
 * unpacked into a directory (with a space in its name), run with no {@code JAVA_HOME} and a {@code
 * PATH} on which there is no {@code java}.
 */
@Timeout(120)
class DistributionIT {
  static final String VERSION = VersionCommand.version();
  static final Path TARBALL = Path.of("target", "deployer-" + VERSION + "-linux-amd64.tar.gz");

  @TempDir static Path dir;
  static Path home;
  static Path tools;

  @BeforeAll
  static void unpack() throws Exception {
    assertThat(TARBALL)
        .as("the tarball mvn package writes (not with -Ddist.skip=true)")
        .isRegularFile();
    Path into = Files.createDirectories(dir.resolve("opt dir"));
    Run untar =
        run(
            List.of("tar", "-xzf", TARBALL.toAbsolutePath().toString(), "-C", into.toString()),
            System.getenv());
    assertThat(untar.code()).as(untar.err()).isZero();
    home = into.resolve("deployer-" + VERSION);
    // The launcher needs a shell and two coreutils; copies of them are all this PATH has.
    tools = Files.createDirectories(dir.resolve("tools"));
    for (String tool : List.of("sh", "dirname", "readlink")) {
      Files.copy(which(tool), tools.resolve(tool), StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  @Test
  void theTarballHoldsARuntimeTheJarAndALauncher() throws Exception {
    assertThat(home.resolve("bin/deployer")).isExecutable();
    assertThat(home.resolve("lib/deployer.jar")).isRegularFile();
    assertThat(home.resolve("lib/deployer.jsa")).isRegularFile();
    assertThat(home.resolve("runtime/bin/java")).isExecutable();
    assertThat(home.resolve("runtime/jmods")).doesNotExist();
    Run modules =
        run(List.of(home.resolve("runtime/bin/java").toString(), "--list-modules"), env());
    assertThat(modules.code()).as(modules.err()).isZero();
    // Only what the CLI needs: the JDK's compiler, shell and tools are not in it, nor the JDK's
    // HTTP client (every HTTP call goes through okhttp).
    assertThat(modules.out())
        .contains("java.base@", "jdk.crypto.ec@", "jdk.unsupported@")
        .doesNotContain("jdk.compiler@", "jdk.jshell@", "jdk.jlink@", "java.net.http@");
  }

  @Test
  void versionRunsWithoutAJdkAndPrintsTheEnginesHelmVersion() throws Exception {
    Map<String, String> env = env();
    assertThat(env).doesNotContainKey("JAVA_HOME");
    for (String entry : env.get("PATH").split(":")) {
      assertThat(Path.of(entry, "java")).doesNotExist();
    }
    Run version = run(List.of(home.resolve("bin/deployer").toString(), "version"), env);
    assertThat(version.code()).as(version.err()).isZero();
    assertThat(version.err()).isEmpty();
    // The same lines the jar prints in this JVM: the Helm version is the engine's own answer.
    Cli inProcess = Cli.run("version");
    assertThat(inProcess.out()).matches("deployer \\S+\nhelm v4\\.\\d+\\.\\d+ \\(SDK.*\\)\n");
    assertThat(version.out()).isEqualTo(inProcess.out());
  }

  @Test
  void theLauncherStartsWithItsClassDataSharingArchive() throws Exception {
    // -Xshare:on makes the JVM refuse to start when it cannot map the archive; the archive was
    // made in another directory, so this shows it follows the tarball wherever it is unpacked.
    Map<String, String> env = env();
    env.put("DEPLOYER_JAVA_OPTS", "-Xshare:on -Xlog:cds=info");
    Run version = run(List.of(home.resolve("bin/deployer").toString(), "--version"), env);
    assertThat(version.code()).as(version.out() + version.err()).isZero();
    assertThat(version.out()).contains("deployer.jsa").endsWith("deployer " + VERSION + "\n");
  }

  @Test
  void aSymlinkOnThePathRunsTheInstalledLauncher() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("usr-local-bin"));
    Path link = bin.resolve("deployer");
    if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(link, home.resolve("bin/deployer"));
    }
    Map<String, String> env = env();
    env.put("PATH", bin + ":" + env.get("PATH"));
    Run help = run(List.of("sh", "-c", "deployer --help"), env);
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: deployer").contains("version");
  }

  /** HOME (the engine's cache) and a PATH without java; nothing else of this JVM's environment. */
  static Map<String, String> env() {
    Map<String, String> env = new TreeMap<>();
    env.put("HOME", System.getProperty("user.home"));
    env.put("PATH", tools.toString());
    return env;
  }

  record Run(int code, String out, String err) {}

  static Run run(List<String> command, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command));
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish in 90 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static Path which(String tool) throws IOException {
    for (String entry : System.getenv("PATH").split(":")) {
      Path candidate = Path.of(entry, tool);
      if (Files.isExecutable(candidate)) {
        return candidate.toRealPath();
      }
    }
    throw new IOException(tool + " is not on the PATH");
  }
}
