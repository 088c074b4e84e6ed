package dev.deployer.core.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.TestFiles;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.deploy.UpRequest;
import dev.deployer.core.diff.Change;
import dev.deployer.core.diff.ReleaseDiff;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.kube.testcluster.TestCluster;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plandir.PlanDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What build writes for reviewers, on charts shaped like upstream ones ({@code
 * src/test/resources/charts}): {@code platform-agent} has cluster-scoped RBAC and a PriorityClass,
 * a large generated ConfigMap and test hooks with random names; {@code realworld} a library
 * dependency, CRDs and a test hook.
 */
@Timeout(180)
class BuildReviewIT {
  /** For the live diff; the other tests build offline. */
  @RegisterExtension static final TestCluster testCluster = TestCluster.shared();

  @TempDir Path dir;
  PlanFiles files;
  Path planDir;

  @BeforeEach
  void setUp() throws IOException {
    files = new PlanFiles(dir);
    for (String chart : List.of("platform-agent", "realworld", "common")) {
      TestFiles.copyTree(
          Path.of("src/test/resources/charts", chart), dir.resolve("charts").resolve(chart));
    }
    planDir = dir.resolve(".deployer");
  }

  BuildResult build(String plan, boolean includeTests) {
    Path file = files.write("deployer.yml", plan);
    return new PlanBuilder(
            NativeHelmEngine.shared(), new ChartFetcher(), Map.of(), Optional.empty())
        .build(
            new BuildRequest(file, planDir, Selection.ALL, 2, null, false, false, includeTests),
            e -> {});
  }

  String read(String file) throws IOException {
    return Files.readString(planDir.resolve(file));
  }

  List<String> problems() {
    Problems problems = new Problems();
    PlanDirectory.open(planDir).check(problems);
    return problems.errors().stream().map(Object::toString).toList();
  }

  static final String AGENT_AND_SHOP =
      """
      releases:
        - {name: agent, namespace: ops, chart: ./charts/platform-agent, values: [agent.yml]}
        - {name: rw, namespace: shop, chart: ./charts/realworld}
      """;

  @Test
  void testHooksAreLeftOutSoARebuildIsUnchangedAndClusterScopedObjectsHaveNoNamespace()
      throws IOException {
    files.write("agent.yml", "rules: 20\n");
    build(AGENT_AND_SHOP, false);
    String agent = read("manifests/agent@ops.yml");
    assertThat(agent)
        .doesNotContain("agent-test-rules-", "agent-test-api-", "rw-test-")
        .contains("name: agent-state-check") // pre-install as well as test: deployed
        .contains("kind: ClusterRole\n");
    assertThat(read("manifests/rw@shop.yml")).doesNotContain("rw-test-");
    String first = read("summary.md");
    assertThat(first)
        .contains(
            "- added `ClusterRole/agent-agent`",
            "- added `ClusterRoleBinding/agent-agent`",
            "- added `PriorityClass/agent-critical`",
            "- added `ConfigMap/ops/agent-rules`",
            "- added `ClusterRole/shop-rw-reader`")
        .doesNotContain("ClusterRole/ops/", "PriorityClass/ops/", "-test-");
    assertThat(problems()).isEmpty();

    // The random names of test pods no longer make every rebuild a change. (realworld's Secret
    // makes up a password when lookup finds none, as offline it never does: that one stays.)
    BuildResult again = build(AGENT_AND_SHOP, false);
    assertThat(again.diff().releases())
        .extracting(
            r ->
                r.uniqueName()
                    + " "
                    + r.change().word()
                    + " "
                    + r.resources().stream()
                        .filter(x -> x.change() != Change.UNCHANGED)
                        .map(x -> x.key())
                        .toList())
        .containsExactly("agent@ops unchanged []", "rw@shop changed [Secret/shop/rw-auth]");

    BuildResult withTests = build(AGENT_AND_SHOP, true);
    assertThat(read("manifests/agent@ops.yml"))
        .containsPattern("name: agent-test-rules-[a-z0-9]{6}");
    assertThat(withTests.diff().releases())
        .extracting(ReleaseDiff::change)
        .containsOnly(Change.CHANGED);
    assertThat(read("summary.md")).containsPattern("- added `Pod/ops/agent-test-api-[a-z0-9]{6}`");
  }

  @Test
  void aSummaryPastTheLimitKeepsTheWholeTableAndSmallDiffsAndPointsToSummaryFull()
      throws IOException {
    files.write("agent.yml", "threshold: 80\n");
    String plan =
        AGENT_AND_SHOP
            + """
              - {name: web, namespace: shop, chart: ./charts/realworld, values: [web.yml]}
            """;
    files.write("web.yml", "replicas: 2\n");
    build(plan, false);
    // All added: the rules alone are over 100 KB.
    assertThat(read("summary.md")).contains("`summary-full.md` in the plan directory");
    assertThat(read("summary-full.md")).contains("+    rule-1499: alert when usage");

    files.write("agent.yml", "threshold: 90\n");
    files.write("web.yml", "replicas: 4\n");
    build(plan, false);
    String summary = read("summary.md");
    String full = read("summary-full.md");
    assertThat(summary.length()).isLessThanOrEqualTo(60_000);
    assertThat(full.length()).isGreaterThan(200_000);
    assertThat(summary)
        .contains("the diffs of 1 release are left out. `summary-full.md` in the plan directory")
        .contains(
            "| `agent@ops` | changed | 2.3.0 | 2.3.0 | 0/1/0 |\n"
                + "| `rw@shop` | changed | 1.4.0 | 1.4.0 | 0/1/0 |\n"
                + "| `web@shop` | changed | 1.4.0 | 1.4.0 | 0/2/0 |\n")
        .contains("-  replicas: 2\n+  replicas: 4")
        .contains(
            "## `agent@ops`: changed\n\n- changed `ConfigMap/ops/agent-rules`\n\nThe diff is in `summary-full.md`.")
        .doesNotContain("above 90 percent");
    assertThat(full)
        .contains("-    rule-1499: alert when usage of volume-1499 is above 80 percent")
        .contains("+    rule-1499: alert when usage of volume-1499 is above 90 percent")
        .contains("-  replicas: 2\n+  replicas: 4");
    assertThat(problems()).isEmpty();

    // A validate-style check notices a summary pointing to a file that is gone.
    Files.delete(planDir.resolve("summary-full.md"));
    assertThat(problems())
        .containsExactly(
            planDir.resolve("summary-full.md") + ": missing (summary.md was cut and points to it)");

    // A small change again: no summary-full.md, and the directory is complete without it.
    files.write("web.yml", "replicas: 5\n");
    build(plan, false);
    assertThat(planDir.resolve("summary-full.md")).doesNotExist();
    assertThat(read("summary.md")).doesNotContain("summary-full.md");
    assertThat(problems()).isEmpty();
  }

  @Test
  void twoReleasesRenderingTheSameObjectFailTheBuildNamingBothAndTheObject() throws IOException {
    files.write("agent.yml", "rules: 5\n");
    build(AGENT_AND_SHOP, false);
    String before = read("planfile");
    // The same add-on twice, in two namespaces: its cluster-scoped objects collide.
    PlanException e =
        catchThrowableOfType(
            PlanException.class,
            () ->
                build(
                    AGENT_AND_SHOP
                        + "  - {name: agent, namespace: ops2, chart: ./charts/platform-agent,"
                        + " values: [agent.yml]}\n",
                    false));
    assertThat(e.problems())
        .extracting(p -> p.field() + ": " + p.message())
        .containsExactly(
            "releases.agent@ops2: renders ClusterRole/agent-agent, which release agent@ops"
                + " renders too: an object can belong to one release only",
            "releases.agent@ops2: renders ClusterRoleBinding/agent-agent, which release"
                + " agent@ops renders too: an object can belong to one release only",
            "releases.agent@ops2: renders PriorityClass/agent-critical, which release agent@ops"
                + " renders too: an object can belong to one release only");
    assertThat(e.problems().get(0).location().toString())
        .startsWith(dir.resolve("deployer.yml") + ":4:");
    assertThat(read("planfile")).isEqualTo(before);

    // A namespaced object that a chart puts in a fixed namespace.
    files.chart("fixed");
    files.write(
        "fixed/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared-settings\n  namespace: shop\n");
    e =
        catchThrowableOfType(
            PlanException.class,
            () ->
                build(
                    "releases:\n  - {name: one, namespace: a, chart: ./fixed}\n"
                        + "  - {name: two, namespace: b, chart: ./fixed}\n",
                    false));
    assertThat(e.problems())
        .extracting(p -> p.field() + ": " + p.message())
        .containsExactly(
            "releases.two@b: renders ConfigMap/shop/shared-settings, which release one@a renders"
                + " too: an object can belong to one release only");
  }

  @Test
  void releasesSharingALocalChartWithDependenciesBuildInParallel() throws IOException {
    // Helm's dependency build writes and removes a temporary folder inside the chart; a second
    // build of the same chart once another release renders it made that render fail
    // ("readdirent .../tmpcharts-N: no such file or directory").
    StringBuilder plan = new StringBuilder("releases:\n");
    for (int i = 0; i < 8; i++) {
      plan.append("  - {name: rw")
          .append(i)
          .append(", namespace: shop, chart: ./charts/realworld}\n");
    }
    for (int round = 0; round < 3; round++) {
      Path file = files.write("deployer.yml", plan.toString());
      BuildResult result =
          new PlanBuilder(NativeHelmEngine.shared(), new ChartFetcher(), Map.of(), Optional.empty())
              .build(
                  new BuildRequest(file, planDir, Selection.ALL, 4, null, false, false, false),
                  e -> {});
      assertThat(result.releases()).hasSize(8);
    }
    try (Stream<Path> left = Files.list(dir.resolve("charts/realworld/charts"))) {
      assertThat(left.map(p -> p.getFileName().toString())).containsExactly("common-0.3.0.tgz");
    }
  }

  @Test
  void releasesLeftInstalledAndChangedDeployOptionsAreShown() throws IOException {
    files.write("agent.yml", "rules: 5\n");
    build(
        """
        releases:
          - {name: agent, namespace: ops, chart: ./charts/platform-agent, values: [agent.yml]}
          - {name: rw, namespace: shop, chart: ./charts/realworld}
          - {name: legacy, namespace: shop, context: prod-eu, chart: ./charts/realworld}
        """,
        false);

    BuildResult result =
        build(
            """
            releases:
              - {name: agent, namespace: ops, chart: ./charts/platform-agent, values: [agent.yml], wait: watcher, timeout: 10m}
              - {name: rw, namespace: shop, chart: ./charts/realworld}
            """,
            false);

    assertThat(result.diff().releases())
        .extracting(r -> r.uniqueName() + " " + r.change().word() + " " + r.deployChanges())
        .containsExactly(
            "agent@ops changed [timeout: 5m -> 10m, wait: hookOnly -> watcher]",
            "legacy@shop@prod-eu removed []",
            "rw@shop changed []");
    String summary = read("summary.md");
    assertThat(summary)
        .contains("| `agent@ops` | changed | 2.3.0 | 2.3.0 | 0/0/0 |")
        .contains("| `rw@shop` | changed | 1.4.0 | 1.4.0 | 0/1/0 |") // its made-up password
        .contains("| `legacy@shop@prod-eu` | left installed | 1.4.0 | - | 0/0/")
        .contains(
            "## Left installed\n\nNo longer in the plan, but `up` never uninstalls a release;"
                + " each stays in its cluster until it is removed:\n\n"
                + "- `legacy@shop@prod-eu`: `helm uninstall legacy --namespace shop"
                + " --kube-context prod-eu`\n")
        .contains(
            "## `agent@ops`: changed\n\n"
                + "- deploy option `timeout: 5m -> 10m`\n"
                + "- deploy option `wait: hookOnly -> watcher`\n")
        .doesNotContain("## `legacy");
  }

  /**
   * {@code build --diff-mode live} over a plan directory an earlier build left: each side of the
   * diff is what the cluster has, as {@code diff live} says, never what the old directory planned.
   */
  @Test
  void aLiveDiffIsAgainstTheClusterNotThePlanDirectoryItReplaces() throws IOException {
    String ns = testCluster.namespace("live");
    Map<String, String> env =
        Map.of(
            "PATH", System.getenv("PATH"), "KUBECONFIG", testCluster.kubeconfigPath().toString());
    files.chart("c");
    files.write(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\ndata: {a: b}\n");
    String release = "  - {name: %s, namespace: " + ns + ", chart: ./c}\n";
    try (KubernetesCluster cluster = KubernetesCluster.create(env, Optional.empty())) {
      // legacy is installed (from a plan of its own); web and ghost never were.
      Path installed = dir.resolve("installed");
      liveBuild(cluster, env, "releases:\n" + release.formatted("legacy"), installed, null);
      Deployer deployer = new Deployer(cluster, env);
      assertThat(
              deployer
                  .up(
                      UpRequest.of(installed, Duration.ofSeconds(5)),
                      EventListener.NONE,
                      new Cancellation())
                  .succeeded())
          .isTrue();
      liveBuild(
          cluster,
          env,
          "releases:\n"
              + release.formatted("web")
              + release.formatted("legacy")
              + release.formatted("ghost")
              + "  - {name: far, namespace: %s, context: elsewhere, chart: ./c}\n".formatted(ns),
          planDir,
          null);

      BuildResult live =
          liveBuild(
              cluster,
              env,
              "releases:\n" + release.formatted("web"),
              planDir,
              BuildRequest.DiffMode.LIVE);

      // web would be installed; legacy stays installed; ghost is nowhere, so nothing is removed;
      // far's context is not in the kubeconfig, so it is left as the old directory has it.
      assertThat(live.diff().releases())
          .extracting(r -> r.uniqueName() + " " + r.change().word())
          .containsExactly(
              "far@" + ns + "@elsewhere removed",
              "legacy@" + ns + " removed",
              "web@" + ns + " added");
      assertThat(deployer.diffLive(planDir, Selection.ALL, false).releases())
          .extracting(r -> r.uniqueName() + " " + r.change().word())
          .containsExactly("web@" + ns + " added");
      String summary = read("summary.md");
      assertThat(summary)
          .contains("| `web@" + ns + "` | added |")
          .contains("- `legacy@" + ns + "`: `helm uninstall legacy --namespace " + ns + "`")
          .doesNotContain("ghost");
    }
  }

  BuildResult liveBuild(
      KubernetesCluster cluster,
      Map<String, String> env,
      String plan,
      Path target,
      BuildRequest.DiffMode mode) {
    Path file = files.write("deployer.yml", plan);
    return LivePlanBuilders.against(cluster, env)
        .build(
            new BuildRequest(file, target, Selection.ALL, 2, mode, false, false, false),
            EventListener.NONE);
  }
}
