package dev.deployer.core.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.diff.Change;
import dev.deployer.core.event.Event;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.HelmTestServers;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.helm.TestCharts;
import dev.deployer.core.hooks.HookFailedException;
import dev.deployer.core.plandir.PlanDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class PlanBuilderIT {
  static final Path QUICKSTART = Path.of("..", "examples", "quickstart", "deployer.yml");

  @TempDir Path dir;
  PlanFiles files;
  final List<Event> events = new CopyOnWriteArrayList<>();
  Map<String, String> env = new TreeMap<>(Map.of("PATH", System.getenv("PATH")));

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
  }

  BuildResult build(Path plan, Path planDir) {
    return build(plan, planDir, null, false);
  }

  BuildResult build(Path plan, Path planDir, BuildRequest.DiffMode mode, boolean showSecrets) {
    return new PlanBuilder(
            NativeHelmEngine.shared(), new ChartFetcher(), env, java.util.Optional.empty())
        .build(new BuildRequest(plan, planDir, Selection.ALL, 2, mode, showSecrets), events::add);
  }

  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.readString(p));
      }
    }
    return out;
  }

  @Test
  void theQuickstartBuildsIntoACompletePlanDirectory() throws IOException {
    Path planDir = dir.resolve(".deployer");
    BuildResult result = build(QUICKSTART, planDir);

    assertThat(result.releases()).containsExactly("db@shop", "api@shop", "web@shop");
    assertThat(tree(planDir).keySet())
        .containsExactly(
            "graph.md",
            "manifests/api@shop.yml",
            "manifests/db@shop.yml",
            "manifests/web@shop.yml",
            "planfile",
            "planfile.sha256",
            "summary.md",
            "values/api@shop/0.yml",
            "values/api@shop/1.yml",
            "values/db@shop/0.yml",
            "values/web@shop/0.yml");
    // The planfile's digest, as sha256sum writes it.
    assertThat(Files.readString(planDir.resolve("planfile.sha256")))
        .matches("[0-9a-f]{64}  planfile\n");
    String api = Files.readString(planDir.resolve("manifests/api@shop.yml"));
    // Later values files win; maps are merged: replicas and LOG_LEVEL from the prod file, the rest
    // kept.
    assertThat(api)
        .contains("replicas: 3")
        .contains("name: DATABASE_HOST\n              value: \"db.shop.svc\"")
        .contains("name: LOG_LEVEL\n              value: \"warn\"")
        .contains("namespace: shop".isEmpty() ? "" : "name: api");
    String planfile = Files.readString(planDir.resolve("planfile"));
    assertThat(planfile)
        .contains("format: deployer.dev/planfile/v1")
        .contains("unique_name: api@shop")
        .contains("  depends_on:\n  - db@shop")
        .contains(
            "    path: "
                + PlanBuilder.relative(
                    planDir.toAbsolutePath(), QUICKSTART.getParent().resolve("charts/api")))
        .doesNotContain("&id")
        .doesNotContain(dir.toAbsolutePath().toString());
    assertThat(Files.readString(planDir.resolve("graph.md"))).contains("r0 --> r1");
    assertThat(events).filteredOn(Event.ReleaseRendered.class::isInstance).hasSize(3);
  }

  @Test
  void twoBuildsOfTheSameInputsAreByteIdenticalWithoutAbsolutePathsOrTimes() throws IOException {
    build(QUICKSTART, dir.resolve("one"), BuildRequest.DiffMode.NONE, false);
    build(QUICKSTART, dir.resolve("two"), BuildRequest.DiffMode.NONE, false);
    Map<String, String> one = tree(dir.resolve("one"));
    assertThat(tree(dir.resolve("two"))).isEqualTo(one);
    String all = String.join("\n", one.values());
    assertThat(all)
        .doesNotContain(Path.of("").toAbsolutePath().toString())
        .doesNotContain(dir.toString());
    assertThat(all).doesNotContainPattern("20\\d\\d-\\d\\d-\\d\\d");
  }

  @Test
  void aRenderErrorFailsThatReleaseWithItsTemplateLocationAndLeavesTheOldPlanDirectory()
      throws IOException {
    files.chart("good");
    files.write(
        "good/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: good\n");
    files.chart("bad");
    files.write(
        "bad/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  x: {{ .Values.missing.deeper }}\n");
    Path plan = files.write("deployer.yml", "releases:\n  - {name: good, chart: ./good}\n");
    Path planDir = dir.resolve("plan");
    build(plan, planDir);
    Map<String, String> before = tree(planDir);

    files.write(
        "deployer.yml",
        "releases:\n  - {name: good, chart: ./good}\n  - {name: bad, chart: ./bad}\n  - {name: other, chart: ./good}\n");
    BuildFailedException e =
        catchThrowableOfType(BuildFailedException.class, () -> build(plan, planDir));

    assertThat(e.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.release()).isEqualTo("bad@default");
              assertThat(f.reason()).contains("bad/templates/cm.yaml:6:").contains("nil pointer");
            });
    assertThat(e.getMessage()).startsWith("1 release failed to build:\n  bad@default: ");
    assertThat(events)
        .filteredOn(Event.ReleaseRendered.class::isInstance)
        .extracting(ev -> ((Event.ReleaseRendered) ev).release())
        .contains("good@default", "other@default");
    assertThat(tree(planDir)).isEqualTo(before);
    try (Stream<Path> left = Files.list(dir)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains(".building-"));
    }
  }

  @Test
  void valuesPlaceholdersAreReplacedAndMistakesNamed() throws IOException {
    files.chart("c");
    files.write(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n{{ toYaml .Values.data | indent 2 }}\n");
    files.write(
        "values.yml",
        """
        data:
          region: ${env:REGION}
          tier: ${env:TIER:-standard}
          port: "${store:port}"
          db: ${release:db@data:namespace}/${release:db@data:store.host}
          literal: $${not.replaced}
        """);
    env.put("REGION", "eu-west-1");
    Path plan =
        files.write(
            "deployer.yml",
            """
            releases:
              - {name: db, namespace: data, chart: ./c, store: {host: pg.internal}}
              - {name: api, chart: ./c, values: [values.yml], store: {port: 8080}, depends_on: [db@data]}
            """);
    build(plan, dir.resolve("plan"));
    assertThat(Files.readString(dir.resolve("plan/values/api@default/0.yml")))
        .contains(
            "region: eu-west-1",
            "tier: standard",
            "port: \"8080\"",
            "db: data/pg.internal",
            "literal: ${not.replaced}");
    assertThat(Files.readString(dir.resolve("plan/manifests/api@default.yml")))
        .contains("region: eu-west-1");

    files.write("values.yml", "a: 1\nb: ${env:NOPE}\nc: ${vault:x}\n");
    BuildFailedException e =
        catchThrowableOfType(BuildFailedException.class, () -> build(plan, dir.resolve("plan")));
    assertThat(e.failures().get(0).reason())
        .contains(
            "values.yml:2:4: values: environment variable NOPE is not set (write ${env:NOPE:-default} for a default)")
        .contains("values.yml:3:4: values: unknown placeholder ${vault:x}");
  }

  @Test
  void aSecondBuildDiffsAgainstTheDirectoryItReplacesWithSecretsRedacted() throws IOException {
    files.chart("c");
    files.write(
        "c/templates/all.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          level: {{ .Values.level }}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: creds
        stringData:
          password: {{ .Values.password }}
          user: admin
        """);
    files.write("values.yml", "level: info\npassword: hunter2\n");
    Path plan =
        files.write(
            "deployer.yml", "releases:\n  - {name: app, chart: ./c, values: [values.yml]}\n");
    Path planDir = dir.resolve("plan");
    BuildResult first = build(plan, planDir);
    assertThat(first.diffMode()).isEqualTo(BuildRequest.DiffMode.NONE);
    assertThat(Files.readString(planDir.resolve("summary.md")))
        .doesNotContain("hunter2")
        .contains("password: <redacted>");

    files.write("values.yml", "level: debug\npassword: correct-horse\n");
    BuildResult second = build(plan, planDir);
    assertThat(second.diffMode()).isEqualTo(BuildRequest.DiffMode.LOCAL);
    assertThat(second.diff().releases())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.change()).isEqualTo(Change.CHANGED);
              assertThat(r.resources())
                  .extracting(x -> x.key() + " " + x.change().word())
                  .containsExactly(
                      "ConfigMap/default/settings changed", "Secret/default/creds changed");
            });
    String secretDiff = second.diff().releases().get(0).resources().get(1).unifiedDiff();
    assertThat(secretDiff)
        .contains("-  password: '<redacted: before>'", "+  password: '<redacted: after>'")
        .doesNotContain("hunter2", "correct-horse");
    assertThat(secretDiff).doesNotContain("-  user:");
    String summary = Files.readString(planDir.resolve("summary.md"));
    assertThat(summary)
        .contains("0 added, 1 changed, 0 removed, 0 unchanged.")
        .contains("| `app@default` | changed | 0.1.0 | 0.1.0 | 0/2/0 |")
        .contains("- changed `ConfigMap/default/settings`")
        .contains("<details><summary>diff</summary>")
        .contains("-  level: info\n+  level: debug")
        .doesNotContain("hunter2", "correct-horse");

    files.write("values.yml", "level: debug\npassword: tr0ub4dor\n");
    BuildResult shown = build(plan, planDir, null, true);
    assertThat(shown.diff().releases().get(0).resources().get(1).unifiedDiff())
        .contains("-  password: correct-horse", "+  password: tr0ub4dor");
    assertThat(Files.readString(planDir.resolve("summary.md"))).doesNotContain("tr0ub4dor");
  }

  @Test
  void hooksRunInOrderOncePerReleaseWithTheirEnvironment() throws IOException {
    files.chart("c");
    Path log = dir.resolve("hooks.log");
    // Hooks run in the plan's folder, so a relative script path works.
    files.write(
        "hook.sh", "echo \"$DEPLOYER_LIFECYCLE_TYPE ${DEPLOYER_RELEASE:-plan} $1\" >> hooks.log\n");
    Path plan =
        files.write(
            "deployer.yml",
            """
            lifecycle:
              pre_build: [sh hook.sh global]
              post_build: ["sh hook.sh 'global'"]
            releases:
              - {name: a, chart: ./c, lifecycle: {pre_build: [sh hook.sh a], post_build: [sh hook.sh a]}}
              - {name: b, chart: ./c, depends_on: [a], lifecycle: {pre_build: [{cmd: sh, args: [-c, 'echo "$DEPLOYER_LIFECYCLE_TYPE $DEPLOYER_RELEASE" >> hooks.log']}]}}
            """);
    build(plan, dir.resolve("plan"));
    assertThat(Files.readAllLines(log))
        .containsExactly(
            "pre_build plan global",
            "pre_build a@default a",
            "pre_build b@default",
            "post_build a@default a",
            "post_build plan global");
  }

  @Test
  void aFailingHookFailsTheBuildUnlessAllowed() throws IOException {
    files.chart("c");
    Path plan =
        files.write(
            "deployer.yml",
            """
            lifecycle:
              pre_build: [{cmd: sh, args: [-c, 'echo flaky; exit 3'], allow_failure: true}]
            releases:
              - {name: a, chart: ./c, lifecycle: {pre_build: [{cmd: sh, args: [-c, 'echo broken >&2; exit 7'], show: false}]}}
            """);
    HookFailedException e =
        catchThrowableOfType(HookFailedException.class, () -> build(plan, dir.resolve("plan")));
    assertThat(e.getMessage())
        .startsWith("a@default pre_build hook `sh -c echo broken >&2; exit 7` (")
        .endsWith("exited with code 7:\n  broken");
    assertThat(events)
        .filteredOn(Event.Warning.class::isInstance)
        .extracting(Object::toString)
        .anyMatch(w -> w.contains("exited with code 3; allowed to fail"));
    assertThat(events)
        .filteredOn(Event.HookOutput.class::isInstance)
        .extracting(o -> ((Event.HookOutput) o).line())
        .containsExactly("flaky");
    assertThat(dir.resolve("plan")).doesNotExist();
  }

  @Test
  void remoteChartsAreVendoredAndPinnedToTheResolvedVersionAndDigest() throws IOException {
    Path packages = dir.resolve("packages");
    List<Path> archives = new ArrayList<>();
    for (String v : List.of("1.0.0", "1.4.2", "2.0.0")) {
      archives.add(TestCharts.packageChart(dir.resolve("src"), "web", v, packages));
    }
    String url = HelmTestServers.startRepository(packages + "/*.tgz", null, null);
    try {
      Path plan =
          files.write(
              "deployer.yml",
              """
              repositories: [{name: local, url: '%s'}]
              releases:
                - {name: web, chart: {name: local/web, version: ^1.0.0}}
                - {name: web2, chart: {name: local/web, version: ^1.0.0}}
              """
                  .formatted(url));
      Path planDir = dir.resolve("plan");
      build(plan, planDir);
      assertThat(planDir.resolve("charts/web-1.4.2.tgz")).hasSameBinaryContentAs(archives.get(1));
      String planfile = Files.readString(planDir.resolve("planfile"));
      // The constraint and the repository beside the resolved version: why the version is this.
      assertThat(planfile)
          .contains(
              "    constraint: ^1.0.0\n    digest: "
                  + TestCharts.sha256(archives.get(1))
                  + "\n    kind: vendored\n    name: web\n    path: charts/web-1.4.2.tgz\n"
                  + "    repository: "
                  + url
                  + "\n    source: local/web\n    version: 1.4.2");
      assertThat(Files.readString(planDir.resolve("manifests/web@default.yml")))
          .contains("web@1.4.2");
      assertThat(events).filteredOn(Event.ChartFetched.class::isInstance).hasSize(2);
    } finally {
      HelmTestServers.stop(url);
    }
  }

  @Test
  // The first run on a machine builds the registry tool from Go modules.
  @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
  void ociChartsAreVendoredWithRegistryCredentials() throws IOException {
    Path archive = TestCharts.packageChart(dir.resolve("src"), "api", "3.1.0", dir.resolve("pkg"));
    try (var server = HelmTestServers.registry("ci", "s3cret", dir.resolve("pkg") + "/*.tgz")) {
      ociChartIsVendored(server.host(), archive);
    }
  }

  private void ociChartIsVendored(String registry, Path archive) throws IOException {
    Path plan =
        files.write(
            "deployer.yml",
            """
            registries: [{host: '%1$s', username: ci, password: s3cret}]
            releases:
              - {name: api, chart: {name: 'oci://%1$s/charts/api', version: '~3.1'}}
            """
                .formatted(registry));
    Path planDir = dir.resolve("plan");
    build(plan, planDir);
    assertThat(planDir.resolve("charts/api-3.1.0.tgz")).hasSameBinaryContentAs(archive);
    assertThat(Files.readString(planDir.resolve("planfile")))
        .contains("version: 3.1.0")
        .doesNotContain("s3cret");
  }

  @Test
  void rendersForTheClustersVersionWhenAskedUnlessTheReleaseSetsAnOfflineOne() throws IOException {
    var server = new io.fabric8.kubernetes.client.server.mock.KubernetesMockServer(false);
    // Before init(), which adds a /version answer of its own.
    server
        .expect()
        .get()
        .withPath("/version")
        .andReturn(200, "{\"major\":\"1\",\"minor\":\"29\",\"gitVersion\":\"v1.29.3+k3s1\"}")
        .always();
    server.init();
    try {
      String url = server.url("/").replaceAll("/$", "");
      Path kubeconfig = kubeconfig("mock", url);
      env.put("KUBECONFIG", kubeconfig.toString());
      files.chart("c");
      files.write(
          "c/templates/cm.yaml",
          "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n");
      Path plan =
          files.write(
              "deployer.yml",
              "releases: [{name: live, chart: ./c}, {name: pinned, chart: ./c, offline_kube_version: 1.27.0}]\n");
      // Without asking, the cluster is never consulted: the default version.
      build(plan, dir.resolve("offline"));
      assertThat(Files.readString(dir.resolve("offline/manifests/live@default.yml")))
          .contains("kube: \"v1.31.0\"");
      new PlanBuilder(
              NativeHelmEngine.shared(), new ChartFetcher(), env, java.util.Optional.empty())
          .build(
              new BuildRequest(plan, dir.resolve("plan"), Selection.ALL, 2, null, false, true),
              events::add);
      assertThat(Files.readString(dir.resolve("plan/manifests/live@default.yml")))
          .contains("kube: \"v1.29.3\"");
      assertThat(Files.readString(dir.resolve("plan/manifests/pinned@default.yml")))
          .contains("kube: \"v1.27.0\"");
      assertThat(Files.readString(dir.resolve("plan/planfile"))).contains("kube_version: 1.29.3");
    } finally {
      server.destroy();
    }
  }

  /** A kubeconfig whose one context, {@code name}, reaches {@code server} with a token. */
  private Path kubeconfig(String name, String server) {
    return files.write(
        "kubeconfig",
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: %1$s, cluster: {server: '%2$s'}}]
        users: [{name: me, user: {token: t}}]
        contexts: [{name: %1$s, context: {cluster: %1$s, user: me}}]
        current-context: %1$s
        """
            .formatted(name, server));
  }

  @Test
  void anUnreachableClusterMeansTheDefaultKubeVersion() throws IOException {
    Path kubeconfig = kubeconfig("gone", "https://127.0.0.1:9");
    env.put("KUBECONFIG", kubeconfig.toString());
    build(QUICKSTART, dir.resolve("plan"));
    assertThat(Files.readString(dir.resolve("plan/planfile"))).contains("kube_version: 1.31.0");
  }

  @Test
  void validatePlanDirectoryFindsMissingAndEditedFiles() throws IOException {
    Path planDir = dir.resolve("plan");
    build(QUICKSTART, planDir);
    dev.deployer.core.plan.Problems ok = new dev.deployer.core.plan.Problems();
    PlanDirectory.open(planDir).check(ok);
    assertThat(ok.errors()).isEmpty();

    Files.delete(planDir.resolve("manifests/web@shop.yml"));
    Files.writeString(planDir.resolve("values/api@shop/1.yml"), "replicas: 99\n");
    dev.deployer.core.plan.Problems problems = new dev.deployer.core.plan.Problems();
    PlanDirectory.open(planDir).check(problems);
    assertThat(problems.errors())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder(
            planDir.resolve("planfile")
                + ": releases[0].values[1]: values/api@shop/1.yml was changed after the build (digest differs)",
            planDir.resolve("planfile")
                + ": releases[2].manifest: manifests/web@shop.yml is missing");
  }
}
