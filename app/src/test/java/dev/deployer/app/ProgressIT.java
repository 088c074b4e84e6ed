package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live progress of real {@code deployer up} processes on the test control plane, for a release that
 * never becomes ready: in a terminal (a pty from util-linux {@code script}) and in a pipe.
 */
@Timeout(300)
class ProgressIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  @TempDir Path dir;

  Map<String, String> env() {
    Map<String, String> env = new TreeMap<>(System.getenv());
    env.put("KUBECONFIG", kube.kubeconfigPath().toString());
    env.remove("NO_COLOR");
    // script's terminal has no size (stty says 0 0): deployer then takes its width from COLUMNS.
    env.put("COLUMNS", "160");
    return env;
  }

  /** A plan directory with one release whose Deployment never gets a ready pod. */
  Path build(String namespace) {
    PlanFiles files = new PlanFiles(dir);
    files.chart("slow");
    files.write("slow/templates/deployment.yaml", InterruptIT.SLOW);
    Path plan =
        files.write(
            "deployer.yml",
            "releases:\n  - {name: slow, namespace: "
                + namespace
                + ", create_namespace: true, chart: ./slow, wait: true, timeout: 8s}\n");
    Path planDir = dir.resolve("plan");
    Cli built = Cli.run(env(), "build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(built.exitCode()).as(built.err()).isZero();
    return planDir;
  }

  /** {@code java -jar target/deployer.jar} with JVM options, as the launcher runs it. */
  static List<String> deployer(List<String> jvm, String... args) {
    Path jar = Path.of("target", "deployer.jar");
    assertThat(jar).as("the CLI jar, built at package").exists();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvm);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(List.of(args));
    return command;
  }

  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Runs the command and returns its exit code; its output goes to out.txt and err.txt. */
  int run(List<String> command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().clear();
    pb.environment().putAll(env());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(dir.resolve("out.txt").toFile());
    pb.redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("deployer ended").isTrue();
    return p.exitValue();
  }

  String read(String name) throws java.io.IOException {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  @Test
  void inATerminalABlockShowsWhatTheReleaseWaitsForAndItsTimeAgainstItsTimeout() throws Exception {
    Path planDir = build("progress-tty");
    // script gives deployer a pseudo-terminal for standard input, output and error, and copies
    // what the terminal shows to its own standard output.
    String inner =
        String.join(
            " ",
            deployer(List.of(), "up", "--plandir", planDir.toString(), "--no-color").stream()
                .map(ProgressIT::quote)
                .toList());
    int code = run(List.of("/usr/bin/script", "-qfec", inner, "/dev/null"));
    String screen = read("out.txt").replace("\r", "");

    assertThat(code).as(screen + read("err.txt")).isEqualTo(ExitCodes.FAILED);
    // The block is a line per running release: what Helm waits for, in words, and the time so
    // far against the release's timeout, redrawn in place (cursor up, erase below).
    Matcher waiting =
        Pattern.compile(
                "  slow@progress-tty  (\\d+)s / 8s  Deployment progress-tty/never-ready-slow not ready")
            .matcher(screen);
    List<Integer> elapsed = new ArrayList<>();
    while (waiting.find()) {
      elapsed.add(Integer.parseInt(waiting.group(1)));
    }
    assertThat(elapsed).as(screen).isNotEmpty().isSorted();
    assertThat(elapsed.get(elapsed.size() - 1)).as(screen).isGreaterThanOrEqualTo(3);
    assertThat(screen).contains("\033[1A\033[J");
    // The release's end stays above the block, and the report follows; no colour was asked for.
    assertThat(screen)
        .containsPattern("✗ slow@progress-tty failed \\d+s: ")
        .containsPattern("slow@progress-tty\\s+failed\\s+- -> 1")
        .doesNotContain("\033[3");
    // The block is gone before the report: nothing is drawn after it.
    assertThat(screen.substring(screen.indexOf("RELEASE"))).doesNotContain("\033[");
  }

  /**
   * Standard output on a terminal, standard error to a file: colour and the progress block are for
   * a terminal, so the file gets plain lines, and the terminal the report.
   */
  @Test
  void withStandardErrorInAFileNoEscapeCodeReachesIt() throws Exception {
    PlanFiles files = new PlanFiles(dir);
    files.chart("quick");
    Path plan =
        files.write(
            "deployer.yml",
            "releases: [{name: quick, namespace: progress-file, create_namespace: true, chart: ./quick}]\n");
    Path planDir = dir.resolve("plan");
    Cli built = Cli.run(env(), "build", "-f", plan.toString(), "--plandir", planDir.toString());
    assertThat(built.exitCode()).as(built.err()).isZero();
    Path errFile = dir.resolve("deployer-err.txt");
    String inner =
        String.join(
                " ",
                deployer(List.of(), "up", "--plandir", planDir.toString()).stream()
                    .map(ProgressIT::quote)
                    .toList())
            + " 2>"
            + quote(errFile.toString());
    int code = run(List.of("/usr/bin/script", "-qfec", inner, "/dev/null"));
    String err = Files.readString(errFile, StandardCharsets.UTF_8);

    assertThat(code).as(read("out.txt") + err).isZero();
    assertThat(err).contains("start quick@progress-file").doesNotContain("\033");
    assertThat(read("out.txt")).containsPattern("quick@progress-file\\s+deployed");
  }

  @Test
  void inAPipeAnUnchangedWaitIsShownAgainAtEachHeartbeat() throws Exception {
    Path planDir = build("progress-pipe");
    int code =
        run(
            deployer(
                List.of("-Ddeployer.progress.heartbeat-ms=1000"),
                "up",
                "--plandir",
                planDir.toString()));
    String err = read("err.txt");

    assertThat(code).as(err).isEqualTo(ExitCodes.FAILED);
    Matcher beat =
        Pattern.compile(
                "(?m)^waiting slow@progress-pipe: Deployment progress-pipe/never-ready-slow:"
                    + " InProgress \\((\\d+)s / 8s\\)$")
            .matcher(err);
    List<Integer> elapsed = new ArrayList<>();
    while (beat.find()) {
      elapsed.add(Integer.parseInt(beat.group(1)));
    }
    // Lines, not a redrawn block, and the same wait again about every second while it lasts.
    assertThat(elapsed).as(err).hasSizeGreaterThanOrEqualTo(4).isSorted();
    assertThat(elapsed.get(elapsed.size() - 1) - elapsed.get(0)).as(err).isGreaterThanOrEqualTo(3);
    assertThat(err).doesNotContain("\033[");
    assertThat(read("out.txt")).containsPattern("slow@progress-pipe\\s+failed");
  }

  @Test
  void progressNoneShowsNoProgressLinesButTheReport() throws Exception {
    Path planDir = build("progress-none");
    int code =
        run(deployer(List.of(), "up", "--plandir", planDir.toString(), "--progress", "none"));
    assertThat(code).as(read("err.txt")).isEqualTo(ExitCodes.FAILED);
    assertThat(read("err.txt")).doesNotContain("waiting", "start ", "failed slow");
    assertThat(read("out.txt")).containsPattern("slow@progress-none\\s+failed");
  }
}
