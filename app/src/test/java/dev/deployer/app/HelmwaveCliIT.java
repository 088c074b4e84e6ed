package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A helmwave user's scripts against deployer (issue 22, point 6): the plan of {@code
 * helmwave-parity/cli} built with helmwave's variables, {@code .env}, flags and command names.
 */
@Timeout(180)
class HelmwaveCliIT {
  static final Path CORPUS = Path.of("..", "core", "src", "test", "resources", "helmwave-parity");

  @TempDir Path dir;

  /** The corpus plan copied into the test's folder. */
  private Path plan() throws IOException {
    Path from = CORPUS.resolve("cli");
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path to = dir.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    return dir.resolve("helmwave.yml");
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.keySet().removeIf(k -> k.startsWith("DEPLOYER_") || k.startsWith("HELMWAVE_"));
    for (int i = 0; i < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  private String planfile(Path planDir) throws IOException {
    return Files.readString(planDir.resolve("planfile"));
  }

  @Test
  void helmwaveTagsSelectsAsTagsDoesAndDeployerTagsWins() throws IOException {
    Path plan = plan();
    Path planDir = dir.resolve("a");
    Cli a = Cli.run(env("HELMWAVE_TAGS", "a"), "build", "-f", plan.toString(), "-p", "" + planDir);
    assertThat(a.exitCode()).as(a.err()).isZero();
    assertThat(a.out()).isEqualTo("built " + planDir + ": 1 release\n");
    assertThat(planfile(planDir)).contains("frontend@web").doesNotContain("backend@data");

    Path both = dir.resolve("both");
    Cli b =
        Cli.run(
            env("HELMWAVE_TAGS", "a", "DEPLOYER_TAGS", "b"),
            "build",
            "-f",
            plan.toString(),
            "--plandir",
            both.toString());
    assertThat(b.exitCode()).as(b.err()).isZero();
    assertThat(planfile(both)).contains("backend@data").doesNotContain("frontend@web");
  }

  @Test
  void helmwavePlandirAndYmlNameThePlanAndItsDirectory() throws IOException {
    Path plan = plan();
    Path planDir = dir.resolve("from-env");
    Cli build =
        Cli.run(
            env("HELMWAVE_YML", plan.toString(), "HELMWAVE_PLANDIR", planDir.toString()), "build");
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).isEqualTo("built " + planDir + ": 2 releases\n");
  }

  @Test
  void dotEnvInTheWorkingDirectoryIsLoadedWithoutOverridingTheEnvironment() throws IOException {
    Path plan = plan();
    Files.writeString(
        dir.resolve(".env"), "# CI settings\nexport HELMWAVE_TAGS=b\nHELMWAVE_PLANDIR='out'\n");
    Cli fromFile =
        Cli.runIn(dir, env(), "build", "-f", plan.toString(), "-p", "" + dir.resolve("b"));
    assertThat(fromFile.exitCode()).as(fromFile.err()).isZero();
    assertThat(planfile(dir.resolve("b"))).contains("backend@data").doesNotContain("frontend");

    Cli setAlready =
        Cli.runIn(
            dir,
            env("HELMWAVE_TAGS", "a"),
            "build",
            "-f",
            plan.toString(),
            "-p",
            "" + dir.resolve("a"));
    assertThat(setAlready.exitCode()).as(setAlready.err()).isZero();
    assertThat(planfile(dir.resolve("a"))).contains("frontend@web").doesNotContain("backend");
  }

  @Test
  void aBrokenDotEnvIsInvalidInputNamingItsLine() throws IOException {
    Files.writeString(dir.resolve(".env"), "A=1\nthis is not a variable\n");
    Cli run = Cli.runIn(dir, env(), "version");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains(".env:2: not a KEY=value line: this is not a variable");
  }

  @Test
  void lifecycleHooksGetHelmwavesVariables() throws IOException {
    Path plan = plan();
    Cli build = Cli.run(env(), "build", "-f", plan.toString(), "-p", "" + dir.resolve("p"));
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(Files.readAllLines(dir.resolve("hooks.log")))
        .containsExactly("pre-build frontend@web", "post-build plan");
  }

  @Test
  void helmwavesFlagsAndCommandNamesAreTaken() throws IOException {
    Path plan = plan();
    Path planDir = dir.resolve("p");
    Cli build =
        Cli.run(
            env(),
            "build",
            "-f",
            plan.toString(),
            "-p",
            planDir.toString(),
            "-t",
            "a,b",
            "--tt",
            "--skip-unchanged",
            "--graph-width",
            "0",
            "--dependencies=false");
    // --tt: no release has both tags
    assertThat(build.exitCode()).as(build.err()).isZero();
    assertThat(build.out()).isEqualTo("built " + planDir + ": 0 releases\n");

    Cli all = Cli.run(env(), "build", "-f", plan.toString(), "-p", planDir.toString());
    assertThat(all.exitCode()).as(all.err()).isZero();
    Cli manifests =
        Cli.run(env("HELMWAVE_UNIQNAMES", "backend@data"), "manifests", "-p", "" + planDir);
    assertThat(manifests.exitCode()).as(manifests.err()).isZero();
    assertThat(manifests.out())
        .contains("name: backend", "release: backend@data")
        .doesNotContain("frontend");
    Cli one = Cli.run(env(), "manifest", "-p", planDir.toString(), "-u", "frontend@web");
    assertThat(one.out()).contains("release: frontend@web").doesNotContain("backend");
    Cli missing = Cli.run(env(), "manifests", "-p", planDir.toString(), "-u", "nope@web");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("release \"nope@web\" is not in " + planDir);

    Cli vs = Cli.run(env(), "vs", "plan", "--plandir1", "" + planDir, "--plandir2", "" + planDir);
    assertThat(vs.exitCode()).as(vs.err()).isZero();
    Cli ver = Cli.run(env(), "ver");
    assertThat(ver.exitCode()).isZero();
    assertThat(ver.out()).startsWith("deployer ");
    Cli ls = Cli.run(env(), "ls", "--help");
    assertThat(ls.exitCode()).isZero();
    assertThat(ls.out()).contains("Usage: deployer list");
  }

  @Test
  void helmwavesLogSettingsAreTranslatedAndRemoteSourceIsRefused() throws IOException {
    Path plan = plan();
    Cli emoji =
        Cli.run(
            env("HELMWAVE_LOG_FORMAT", "emoji", "HELMWAVE_LOG_LEVEL", "trace"),
            "build",
            "-f",
            plan.toString(),
            "-p",
            "" + dir.resolve("e"));
    assertThat(emoji.exitCode()).as(emoji.err()).isZero();
    Cli json =
        Cli.run(
            env("HELMWAVE_LOG_FORMAT", "json"),
            "build",
            "-f",
            plan.toString(),
            "-p",
            "" + dir.resolve("j"));
    assertThat(json.exitCode()).as(json.err()).isZero();
    assertThat(json.errLines()).isNotEmpty();

    Cli remote =
        Cli.run(
            env("HELMWAVE_REMOTE_SOURCE", "git::https://example.com/x"), "build", "-f", "" + plan);
    assertThat(remote.exitCode()).isEqualTo(2);
    assertThat(remote.err()).contains("HELMWAVE_REMOTE_SOURCE is set, but deployer does not");
    assertThat(dir.resolve(".deployer")).doesNotExist();
  }
}
