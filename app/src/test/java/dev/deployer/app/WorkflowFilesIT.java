package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The CI files of examples/gitops: the GitHub workflows pass actionlint (v1.7.12, built from the Go
 * module proxy into the per-machine build cache by {@code src/test/tools/actionlint.sh}); the
 * GitLab pipeline parses, and every {@code ci/} script either of them runs exists. Nothing here
 * skips: without Go the build of actionlint fails the test, as the engine's build would fail.
 */
@Timeout(900)
class WorkflowFilesIT {
  static final Path EXAMPLE = GitOpsExampleIT.EXAMPLE;
  static final Pattern SCRIPT = Pattern.compile("(?<![\\w./-])(ci/[\\w.-]+\\.sh)\\b");

  @TempDir static Path dir;
  static Path actionlint;

  @BeforeAll
  static void buildActionlint() throws Exception {
    Path script = Path.of("src/test/tools/actionlint.sh").toAbsolutePath();
    Path out = dir.resolve("build.out");
    Path err = dir.resolve("build.err");
    Process build =
        new ProcessBuilder("bash", script.toString())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(build.waitFor(15, TimeUnit.MINUTES)).as(script + " finished").isTrue();
    assertThat(build.exitValue()).as(script + " failed:\n" + Files.readString(err)).isZero();
    actionlint = Path.of(Files.readString(out).strip());
    assertThat(actionlint).isExecutable();
  }

  @Test
  void theGitHubWorkflowsPassActionlint() throws Exception {
    Path repo = asRepository("repo");
    Lint lint = actionlint(repo);
    assertThat(lint.output()).as("actionlint's findings").isEmpty();
    assertThat(lint.code()).isZero();
    assertThat(lint.checked()).containsExactly("apply.yml", "deploy.yml");
  }

  @Test
  void actionlintReportsABrokenCallOfTheReusableWorkflow() throws Exception {
    // What the test above would see if deploy.yml and apply.yml drifted apart.
    Path repo = asRepository("broken");
    Path deploy = repo.resolve(".github/workflows/deploy.yml");
    String text = Files.readString(deploy);
    assertThat(text).contains("      environment: staging\n");
    Files.writeString(
        deploy, text.replace("      environment: staging\n", "      environmnt: staging\n"));
    Lint lint = actionlint(repo);
    assertThat(lint.code()).isEqualTo(1);
    assertThat(lint.output())
        .contains(".github/workflows/deploy.yml:")
        .contains("input \"environmnt\" is not defined in \"./.github/workflows/apply.yml\"");
  }

  @Test
  @SuppressWarnings("unchecked")
  void onlyMergesIntoMainDeployAndEveryMergeIsDeployed() throws Exception {
    Map<String, Object> deploy = workflow("deploy.yml");
    Map<String, Object> on = (Map<String, Object>) deploy.get("on");
    assertThat(on).as("deploy.yml's triggers").containsOnlyKeys("pull_request", "push");
    // A pull request into another branch is not planned; only a push to main deploys.
    Map<String, Object> pullRequest = (Map<String, Object>) on.get("pull_request");
    assertThat(pullRequest.get("branches")).isEqualTo(List.of("main"));
    assertThat((List<String>) pullRequest.get("types"))
        .as("a closed pull request deploys nothing: the push of its merge does")
        .doesNotContain("closed");
    assertThat(((Map<String, Object>) on.get("push")).get("branches")).isEqualTo(List.of("main"));

    Map<String, Map<String, Object>> jobs = (Map<String, Map<String, Object>>) deploy.get("jobs");
    Map<String, Object> plan = jobs.get("plan");
    assertThat(plan.get("if")).isEqualTo("github.event_name == 'pull_request'");
    // The plan is of the merge result: checkout without a ref takes refs/pull/N/merge.
    Map<String, Object> checkout = step(plan, "actions/checkout@v4");
    assertThat(checkout).doesNotContainKey("with");
    assertThat((Map<String, Object>) plan.get("concurrency"))
        .containsEntry("group", "plan-${{ github.event.pull_request.number }}")
        .containsEntry("cancel-in-progress", true);

    Map<String, Object> staging = jobs.get("deploy-staging");
    assertThat(staging.get("if")).isEqualTo("github.event_name == 'push'");
    assertThat(staging.get("uses")).isEqualTo("./.github/workflows/apply.yml");
    assertThat((Map<String, Object>) staging.get("with"))
        .as("staging deploys the branch as it is when its job starts, not its push's commit")
        .containsEntry("environment", "staging")
        .containsEntry("ref", "${{ github.ref }}");
    Map<String, Object> production = jobs.get("deploy-production");
    assertThat(production.get("needs")).isEqualTo("deploy-staging");
    assertThat((Map<String, Object>) production.get("with"))
        .as("production deploys the commit staging deployed")
        .containsEntry("environment", "production")
        .containsEntry("ref", "${{ needs.deploy-staging.outputs.commit }}");

    // One deploy per environment at a time, queued, never cancelled halfway. GitHub keeps one
    // waiting run per group and cancels the one it replaces: harmless, as the replacing run
    // deploys a head that holds that merge too, built in the job (no artifact of an older run).
    Map<String, Object> apply = workflow("apply.yml");
    Map<String, Object> call =
        (Map<String, Object>) ((Map<String, Object>) apply.get("on")).get("workflow_call");
    assertThat((Map<String, Object>) call.get("inputs")).containsOnlyKeys("environment", "ref");
    assertThat((Map<String, Object>) call.get("outputs")).containsKey("commit");
    Map<String, Object> job = ((Map<String, Map<String, Object>>) apply.get("jobs")).get("apply");
    assertThat((Map<String, Object>) job.get("concurrency"))
        .containsEntry("group", "deploy-${{ inputs.environment }}")
        .containsEntry("cancel-in-progress", false);
    assertThat((Map<String, Object>) step(job, "actions/checkout@v4").get("with"))
        .containsEntry("ref", "${{ inputs.ref }}");
    assertThat((Map<String, Object>) job.get("outputs"))
        .containsEntry("commit", "${{ steps.checkout.outputs.commit }}");
    String run =
        String.join(
            "\n",
            ((List<Map<String, Object>>) job.get("steps"))
                .stream().map(s -> String.valueOf(s.getOrDefault("run", ""))).toList());
    assertThat(((List<Map<String, Object>>) job.get("steps")).stream().map(s -> s.get("uses")))
        .as("nothing is downloaded: a waiting run's artifact would be lost with it")
        .doesNotContain("actions/download-artifact@v4");
    assertThat(run.indexOf("ci/deploy.sh build \"$ENVIRONMENT\""))
        .as("the deploy builds the checkout it deploys")
        .isNotNegative()
        .isLessThan(run.indexOf("ci/deploy.sh apply \"$ENVIRONMENT\""));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> workflow(String name) throws Exception {
    Path file = EXAMPLE.resolve(".github/workflows/" + name);
    return (Map<String, Object>)
        new Load(LoadSettings.builder().setLabel(file.toString()).build())
            .loadFromString(Files.readString(file));
  }

  /** The one step of {@code job} that uses {@code action}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> step(Map<String, Object> job, String action) {
    List<Map<String, Object>> steps =
        ((List<Map<String, Object>>) job.get("steps"))
            .stream().filter(s -> action.equals(s.get("uses"))).toList();
    assertThat(steps).as("steps using " + action).hasSize(1);
    return steps.get(0);
  }

  @Test
  void theWorkflowsRunOnlyScriptsThatExist() throws Exception {
    Set<String> scripts = new TreeSet<>();
    for (String file : List.of(".github/workflows/deploy.yml", ".github/workflows/apply.yml")) {
      scripts.addAll(scriptsIn(Files.readString(EXAMPLE.resolve(file))));
    }
    assertThat(scripts).contains("ci/install.sh", "ci/deploy.sh", "ci/comment.sh");
    for (String script : scripts) {
      assertThat(EXAMPLE.resolve(script)).as("run by a GitHub workflow").isExecutable();
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void theGitLabPipelineParsesAndItsJobsRunScriptsThatExist() throws Exception {
    Object loaded =
        new Load(LoadSettings.builder().setLabel(".gitlab-ci.yml").build())
            .loadFromString(Files.readString(EXAMPLE.resolve(".gitlab-ci.yml")));
    Map<String, Object> pipeline = (Map<String, Object>) loaded;
    List<String> stages = (List<String>) pipeline.get("stages");
    assertThat(stages).containsExactly("plan", "deploy");
    Map<String, Map<String, Object>> jobs = new java.util.TreeMap<>();
    pipeline.forEach(
        (key, value) -> {
          if (!Set.of("stages", "default", "variables", "workflow", "include").contains(key)) {
            jobs.put(key, (Map<String, Object>) value);
          }
        });
    assertThat(jobs.keySet()).contains("plan", "deploy-staging", "deploy-production");

    Set<String> scripts = new TreeSet<>();
    scripts.addAll(
        scriptsIn(
            String.join(
                "\n", lines(((Map<String, Object>) pipeline.get("default")), "before_script"))));
    for (var job : jobs.entrySet()) {
      Map<String, Object> merged = new java.util.HashMap<>();
      if (job.getValue().get("extends") instanceof String parent) {
        assertThat(jobs).as(job.getKey() + " extends").containsKey(parent);
        merged.putAll(jobs.get(parent));
      }
      merged.putAll(job.getValue());
      if (job.getKey().startsWith(".")) {
        continue;
      }
      assertThat(stages).as(job.getKey() + "'s stage").contains((String) merged.get("stage"));
      assertThat(lines(merged, "script")).as(job.getKey() + "'s script").isNotEmpty();
      scripts.addAll(scriptsIn(String.join("\n", lines(merged, "script"))));
      if (merged.get("needs") instanceof List<?> needs) {
        assertThat(jobs.keySet()).as(job.getKey() + " needs").containsAll((List<String>) needs);
      }
      if (job.getKey().startsWith("deploy-")) {
        String environment = job.getKey().substring("deploy-".length());
        assertThat(merged.get("resource_group"))
            .as(job.getKey() + ": one deploy of an environment at a time")
            .isEqualTo(environment);
        assertThat((Map<String, Object>) merged.get("environment"))
            .containsEntry("name", environment);
        assertThat(EXAMPLE.resolve("environments/" + environment + "/deployer.yml")).exists();
      }
    }
    assertThat(scripts)
        .contains("ci/install.sh", "ci/deploy.sh", "ci/comment.sh", "ci/fetch-plan-gitlab.sh");
    for (String script : scripts) {
      assertThat(EXAMPLE.resolve(script)).as("run by the GitLab pipeline").isExecutable();
    }
    // The plan job keeps every environment's plan directory, which the deploy jobs fetch.
    Map<String, Object> artifacts = (Map<String, Object>) jobs.get("plan").get("artifacts");
    try (var environments = Files.list(EXAMPLE.resolve("environments"))) {
      List<String> expected =
          environments
              .map(e -> "environments/" + e.getFileName() + "/.deployer/")
              .sorted()
              .toList();
      assertThat((List<String>) artifacts.get("paths"))
          .containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @SuppressWarnings("unchecked")
  static List<String> lines(Map<String, Object> job, String key) {
    Object value = job.get(key);
    return value instanceof List<?> list ? (List<String>) list : List.of();
  }

  static Set<String> scriptsIn(String text) {
    Set<String> found = new TreeSet<>();
    Matcher m = SCRIPT.matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /**
   * A copy of the example with a .git folder: actionlint resolves {@code ./.github/workflows/...}
   * (the reusable workflow) from the repository root it finds, which must be the example's.
   */
  static Path asRepository(String name) throws Exception {
    Path repo = dir.resolve(name);
    GitOpsExampleIT.copyTree(EXAMPLE, repo);
    Files.createDirectories(repo.resolve(".git"));
    return repo;
  }

  record Lint(int code, String output, List<String> checked) {}

  static Lint actionlint(Path repo) throws Exception {
    Process p =
        new ProcessBuilder(actionlint.toString(), "-no-color", "-verbose")
            .directory(repo.toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    // -verbose names each file it lints on standard error.
    List<String> checked = new ArrayList<>();
    Matcher m = Pattern.compile("verbose: Linting \\.github/workflows/([\\w.-]+)").matcher(err);
    while (m.find()) {
      checked.add(m.group(1));
    }
    return new Lint(p.exitValue(), out, checked.stream().sorted().toList());
  }
}
