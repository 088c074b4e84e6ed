package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.deployer.core.kube.fixture.HelmReleaseRecords;
import dev.deployer.core.kube.testcluster.TestCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/gitops as its CI runs it, on the test control plane: {@code ci/install.sh} installs
 * deployer from the tarball {@code mvn package} wrote, the pull request's {@code ci/deploy.sh
 * build} and {@code comment}, then, in a second checkout that only has the plan directories copied
 * in (the downloaded artifact), {@code ci/deploy.sh apply} for each environment. The workflows call
 * the same scripts; WorkflowFilesIT checks that they do.
 */
@Timeout(600)
class GitOpsExampleIT {
  @RegisterExtension static final TestCluster kube = TestCluster.shared();

  static final Path EXAMPLE = Path.of("..", "examples", "gitops").toAbsolutePath().normalize();

  @TempDir Path dir;
  Map<String, String> env;
  Map<String, String> namespaces = new TreeMap<>();

  @BeforeEach
  void installDeployer() throws Exception {
    assertThat(DistributionIT.TARBALL).as("the tarball mvn package writes").isRegularFile();
    Path pr = checkout("pr");
    env = new TreeMap<>(System.getenv());
    env.remove("JAVA_HOME");
    env.put("KUBECONFIG", kube.kubeconfigPath().toString());
    env.put("DEPLOYER_URL", DistributionIT.TARBALL.toAbsolutePath().toUri().toString());
    Run install = run(pr, "ci/install.sh");
    assertThat(install.code()).as(install.err()).isZero();
    assertThat(install.err()).contains("deployer " + VersionCommand.version());
    env.put("PATH", install.out().strip() + ":" + env.get("PATH"));
  }

  @Test
  void aPullRequestBuildIsWhatTheMergeDeploys() throws Exception {
    Path pr = dir.resolve("pr");
    for (String environment : List.of("staging", "production")) {
      Run build = run(pr, "ci/deploy.sh", "build", environment);
      assertThat(build.code()).as(build.err()).isZero();
      assertThat(build.out())
          .contains("environments/" + environment + "/deployer.yml is valid: 2 releases")
          .contains("built environments/" + environment + "/.deployer: 2 releases");
    }
    Run comment = run(pr, "ci/deploy.sh", "comment", "staging", "production");
    assertThat(comment.code()).as(comment.err()).isZero();
    assertThat(comment.out())
        .startsWith("<!-- deployer-plan -->\n## deployer plan\n")
        .contains("### shop-staging: plan changes", "### shop-production: plan changes")
        .contains("| `api@" + namespaces.get("production") + "` | added |")
        .contains("+  DATABASE_POOL: \"40\"")
        .endsWith("the `plan` artifact of this build.\n");

    // The merge: a fresh checkout, and the artifact (the plan directories) downloaded into it.
    Path main = checkout("main");
    for (String environment : List.of("staging", "production")) {
      copyTree(
          pr.resolve("environments/" + environment + "/.deployer"),
          main.resolve("environments/" + environment + "/.deployer"));
    }
    for (String environment : List.of("staging", "production")) {
      Run apply = run(main, "ci/deploy.sh", "apply", environment);
      assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
      String ns = namespaces.get(environment);
      assertThat(apply.out())
          .contains(".deployer is complete: 2 releases")
          .containsPattern("api@" + ns + "\\s+deployed\\s+- -> 1")
          .containsPattern("web@" + ns + "\\s+deployed\\s+- -> 1");
      for (String release : List.of("api", "web")) {
        assertThat(status(ns, release)).isEqualTo("deployed");
      }
    }
    // Shared values with the environment's on top.
    String production = namespaces.get("production");
    assertThat(
            kube.client()
                .configMaps()
                .inNamespace(production)
                .withName("api-config")
                .get()
                .getData())
        .containsEntry("LOG_FORMAT", "json")
        .containsEntry("LOG_LEVEL", "info")
        .containsEntry("DATABASE_POOL", "40");
    assertThat(
            kube.client()
                .apps()
                .deployments()
                .inNamespace(production)
                .withName("api")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(3);
  }

  @Test
  void aDeployOfMainDeploysEveryMergeSinceTheLastDeployOnce() throws Exception {
    // As apply.yml runs on GitHub: build the checked-out main, then apply it.
    Path main = checkout("main");
    String ns = namespaces.get("staging");
    Run first = deployMain(main);
    assertThat(first.out())
        .containsPattern("api@" + ns + "\\s+deployed\\s+- -> 1")
        .containsPattern("web@" + ns + "\\s+deployed\\s+- -> 1");

    // Two merges land while that deploy runs. GitHub keeps one waiting run per concurrency
    // group, so the first merge's run is cancelled and only the second's deploys: main now.
    Path api = main.resolve("environments/staging/values/api.yml");
    Files.writeString(api, Files.readString(api).replace("LOG_LEVEL: debug", "LOG_LEVEL: warn"));
    Path web = main.resolve("environments/staging/values/web.yml");
    Files.writeString(web, Files.readString(web).replace("BANNER: staging", "BANNER: merged"));
    Run second = deployMain(main);
    assertThat(second.out())
        .containsPattern("api@" + ns + "\\s+deployed\\s+1 -> 2")
        .containsPattern("web@" + ns + "\\s+deployed\\s+1 -> 2");
    assertThat(config(ns, "api")).containsEntry("LOG_LEVEL", "warn");
    assertThat(config(ns, "web")).containsEntry("BANNER", "merged");

    // A run for a merge that is already deployed (a re-run, or one GitHub did not cancel) finds
    // nothing to do and writes no revision.
    Run again = deployMain(main);
    assertThat(again.out())
        .containsPattern("api@" + ns + "\\s+unchanged")
        .containsPattern("web@" + ns + "\\s+unchanged");
    assertThat(HelmReleaseRecords.secrets(kube.client(), ns, "api")).hasSize(2);
  }

  /** {@code ci/deploy.sh build staging} then {@code apply staging}, as apply.yml's step runs. */
  Run deployMain(Path main) throws Exception {
    Run build = run(main, "ci/deploy.sh", "build", "staging");
    assertThat(build.code()).as(build.out() + build.err()).isZero();
    Run apply = run(main, "ci/deploy.sh", "apply", "staging");
    assertThat(apply.code()).as(apply.out() + apply.err()).isZero();
    return apply;
  }

  Map<String, String> config(String namespace, String release) {
    return kube.client()
        .configMaps()
        .inNamespace(namespace)
        .withName(release + "-config")
        .get()
        .getData();
  }

  @Test
  void applyRefusesAPlanWhoseChartChangedAfterTheReview() throws Exception {
    Path pr = dir.resolve("pr");
    assertThat(run(pr, "ci/deploy.sh", "build", "staging").code()).isZero();
    Path main = checkout("main");
    Run missing = run(main, "ci/deploy.sh", "apply", "staging");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .contains("environments/staging/.deployer has no planfile; run ci/deploy.sh build staging");

    copyTree(
        pr.resolve("environments/staging/.deployer"),
        main.resolve("environments/staging/.deployer"));
    // A commit on the main branch changed the chart after the pull request was built.
    Path service = main.resolve("charts/service/templates/service.yaml");
    Files.writeString(service, Files.readString(service).replace("port: 80", "port: 81"));
    Run apply = run(main, "ci/deploy.sh", "apply", "staging");
    assertThat(apply.code()).as(apply.out() + apply.err()).isEqualTo(ExitCodes.REFUSED);
    assertThat(apply.err()).contains("charts/service");
    assertThat(HelmReleaseRecords.secrets(kube.client(), namespaces.get("staging"), "api"))
        .as("nothing was deployed")
        .isEmpty();
  }

  /**
   * A copy of the example as a repository checkout; its plans deploy into namespaces of this test
   * (the same in every checkout), so runs never meet.
   */
  Path checkout(String name) throws Exception {
    Path repo = dir.resolve(name);
    copyTree(EXAMPLE, repo);
    for (String environment : List.of("staging", "production")) {
      String ns = namespaces.computeIfAbsent(environment, e -> kube.namespace("shop-" + e));
      Path plan = repo.resolve("environments/" + environment + "/deployer.yml");
      String text = Files.readString(plan);
      assertThat(text).contains("namespace: shop-" + environment + "\n");
      Files.writeString(
          plan, text.replace("namespace: shop-" + environment + "\n", "namespace: " + ns + "\n"));
    }
    return repo;
  }

  String status(String namespace, String release) {
    List<io.fabric8.kubernetes.api.model.Secret> records =
        HelmReleaseRecords.secrets(kube.client(), namespace, release);
    assertThat(records).as("Helm records of %s in %s", release, namespace).isNotEmpty();
    JsonNode last = HelmReleaseRecords.decode(records.get(records.size() - 1));
    return last.path("info").path("status").asText();
  }

  record Run(int code, String out, String err) {}

  Run run(Path cwd, String... command) throws Exception {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish in 240 s");
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  static void copyTree(Path from, Path to) throws IOException, InterruptedException {
    Files.createDirectories(to.getParent());
    Process cp =
        new ProcessBuilder("cp", "-R", "-p", from.toString(), to.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(cp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(cp.waitFor()).as(output).isZero();
  }
}
