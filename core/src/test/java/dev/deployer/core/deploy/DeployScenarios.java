package dev.deployer.core.deploy;

import static dev.deployer.core.fake.FakeDeploy.line;
import static dev.deployer.core.fake.FakeDeploy.monitorLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.LivePlanBuilders;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.kube.fixture.HelmReleaseRecords;
import dev.deployer.core.plan.Release;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code up}, {@code down} and {@code rollback} with deployer's Helm engine against a real
 * Kubernetes API: the test control plane ({@link DeployerIT}), K3s where Docker runs ({@link
 * DeployerK3sIT}).
 */
@Timeout(120)
@SuppressWarnings("try") // a lock held for its block
abstract class DeployScenarios {
  /** The kubeconfig of the cluster the scenarios run against. */
  abstract Path kubeconfig();

  /** A client of that cluster, for assertions. */
  abstract io.fabric8.kubernetes.client.KubernetesClient client();

  /** The data of ConfigMap {@code name} in {@code namespace}, as the cluster holds it now. */
  java.util.Map<String, String> configData(String namespace, String name) {
    return client().configMaps().inNamespace(namespace).withName(name).get().getData();
  }

  @TempDir Path dir;
  PlanFiles files;
  Map<String, String> env;
  KubernetesCluster cluster;
  Deployer deployer;

  /** Skips the scenario when its cluster cannot run here. */
  void assumeCluster() {}

  @BeforeEach
  void setUp() {
    assumeCluster();
    files = new PlanFiles(dir);
    env =
        new TreeMap<>(Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", kubeconfig().toString()));
    cluster = KubernetesCluster.create(env, Optional.empty());
    deployer = new Deployer(cluster, env, new DefaultProbes(env, dir, cluster));
    files.chart("ok");
    files.write(
        "ok/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name | quote }}\ndata:\n  level: {{ .Values.level | default \"info\" | quote }}\n");
    // Its pods never become ready: the test control plane's never-ready knob matches the name, and
    // on K3s the image cannot be pulled. --wait fails.
    files.chart("bad");
    files.write(
        "bad/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: never-ready-{{ .Release.Name }}
        spec:
          replicas: 1
          selector:
            matchLabels: {app: {{ .Release.Name }}}
          template:
            metadata:
              labels: {app: {{ .Release.Name }}}
            spec:
              containers: [{name: app, image: registry.example/app:1}]
        """);
  }

  @AfterEach
  void tearDown() {
    if (cluster != null) {
      cluster.close();
    }
  }

  Path build(String plan) {
    return build(plan, BuildRequest.DiffMode.NONE);
  }

  Path build(String plan, BuildRequest.DiffMode mode) {
    Path file = files.write("deployer.yml", plan);
    Path planDir = dir.resolve(".deployer");
    LivePlanBuilders.against(cluster, env)
        .build(new BuildRequest(file, planDir, Selection.ALL, 2, mode, false), EventListener.NONE);
    return planDir;
  }

  RunReport up(Path planDir) {
    return up(planDir, false, false);
  }

  /** What {@code up} is asked by default here: every release, a 2 s lock timeout. */
  static UpRequest request(Path planDir) {
    return UpRequest.of(planDir, Duration.ofSeconds(2));
  }

  /** {@code up --force-upgrade}: a new revision even for a release that did not change. */
  RunReport upForced(Path planDir) {
    return deployer.up(
        request(planDir).withForceUpgrade(true), EventListener.NONE, new Cancellation());
  }

  /** {@code down} of {@code selection}, with {@code --force} when asked, a 2 s lock timeout. */
  RunReport down(Path planDir, Selection selection, boolean force) {
    return deployer.down(
        planDir,
        selection,
        force,
        0,
        Duration.ofSeconds(2),
        EventListener.NONE,
        new Cancellation());
  }

  /** {@code down --dry-run} of every release. */
  RunReport dryDown(Path planDir) {
    return deployer.down(
        planDir,
        Selection.ALL,
        false,
        true,
        0,
        Duration.ofSeconds(2),
        EventListener.NONE,
        new Cancellation());
  }

  /** {@code rollback} of {@code selection} to each release's previous good revision. */
  RunReport rollback(Path planDir, Selection selection) {
    return deployer.rollback(
        planDir,
        selection,
        Optional.empty(),
        0,
        Duration.ofSeconds(2),
        EventListener.NONE,
        new Cancellation());
  }

  /** {@code rollback --dry-run} of every release. */
  RunReport dryRollback(Path planDir) {
    return deployer.rollback(
        planDir,
        Selection.ALL,
        Optional.empty(),
        true,
        0,
        Duration.ofSeconds(2),
        EventListener.NONE,
        new Cancellation());
  }

  RunReport up(Path planDir, boolean allowStale, boolean rollbackPlan) {
    return up(planDir, allowStale, rollbackPlan, RollbackScope.RELEASE, EventListener.NONE);
  }

  RunReport up(
      Path planDir,
      boolean allowStale,
      boolean rollbackPlan,
      RollbackScope scope,
      EventListener listener) {
    return deployer.up(
        new UpRequest(
            planDir, Selection.ALL, 0, allowStale, rollbackPlan, scope, Duration.ofSeconds(2)),
        listener,
        new Cancellation());
  }

  List<String> statuses(String namespace, String release) {
    return HelmReleaseRecords.secrets(client(), namespace, release).stream()
        .map(
            s ->
                s.getMetadata().getLabels().get("version")
                    + " "
                    + s.getMetadata().getLabels().get("status"))
        .toList();
  }

  @Test
  void aFailedReleaseSkipsItsDependentsAndTheRestDeploy() {
    Path planDir =
        build(
            """
            .o: &o {namespace: app, create_namespace: true}
            releases:
              - {<<: *o, name: a, chart: ./ok}
              - {<<: *o, name: b, chart: ./bad, depends_on: [a], wait: true, timeout: 2s}
              - {<<: *o, name: c, chart: ./ok, depends_on: [a]}
              - {<<: *o, name: d, chart: ./ok, depends_on: [b, c]}
              - {<<: *o, name: x, chart: ./ok}
              - {<<: *o, name: y, chart: ./ok, depends_on: [x]}
            """);
    RunReport report = up(planDir);

    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "a@app")).isEqualTo("deployed -->1");
    assertThat(line(report, "b@app"))
        .startsWith("failed -->1: ")
        .contains("context deadline exceeded")
        // Which timeout ran out, and what Helm was waiting for then.
        .contains("its timeout (2s) ran out while Helm waited for Deployment app/never-ready-b")
        .contains("Deployment/app/never-ready-b: 0/1 ready");
    assertThat(line(report, "c@app")).isEqualTo("deployed -->1");
    assertThat(line(report, "d@app")).isEqualTo("skipped -->-: dependency b@app failed");
    assertThat(line(report, "x@app")).isEqualTo("deployed -->1");
    assertThat(line(report, "y@app")).isEqualTo("deployed -->1");
    assertThat(statuses("app", "a")).containsExactly("1 deployed");
    assertThat(statuses("app", "b")).containsExactly("1 failed");
    assertThat(statuses("app", "d")).isEmpty();
    assertThat(client().configMaps().inNamespace("app").withName("y").get()).isNotNull();
  }

  @Test
  void upgradesRollBackAndDownUseHelmsRecords() throws Exception {
    String plan =
        "releases: [{name: web, namespace: shop, create_namespace: true, chart: ./ok, values: [v.yml]}]\n";
    files.write("v.yml", "level: info\n");
    assertThat(line(up(build(plan)), "web@shop")).isEqualTo("deployed -->1");
    files.write("v.yml", "level: debug\n");
    Path planDir = build(plan);
    assertThat(line(up(planDir), "web@shop")).isEqualTo("deployed 1->2");
    assertThat(configData("shop", "web")).containsEntry("level", "debug");

    RunReport rolledBack = rollback(planDir, Selection.ALL);
    assertThat(line(rolledBack, "web@shop")).isEqualTo("rolled back 2->3");
    assertThat(configData("shop", "web")).containsEntry("level", "info");
    List<ReleaseRevision> history =
        NativeHelmEngine.shared()
            .history(new ReleaseRef(java.nio.file.Files.readString(kubeconfig()), "shop", "web"));
    assertThat(history)
        .extracting(h -> h.revision() + " " + h.status() + " " + h.description())
        .containsExactly(
            "1 superseded Install complete",
            "2 superseded Upgrade complete",
            "3 deployed Rollback to 1");

    RunReport down = down(planDir, Selection.ALL, false);
    assertThat(line(down, "web@shop")).isEqualTo("uninstalled 3->-");
    assertThat(statuses("shop", "web")).isEmpty();
    assertThat(client().configMaps().inNamespace("shop").withName("web").get()).isNull();
    RunReport again = down(planDir, Selection.ALL, false);
    assertThat(line(again, "web@shop")).isEqualTo("not installed -->-");
  }

  @Test
  void rollbackWithoutARevisionGoesBackToTheNewestRevisionThatDeployedNeverAFailedOne() {
    String good = "releases: [{name: web, namespace: back, create_namespace: true, chart: ./ok}]\n";
    String bad =
        "releases: [{name: web, namespace: back, chart: ./bad, wait: true, timeout: 2s}]\n";
    assertThat(line(up(build(good)), "web@back")).isEqualTo("deployed -->1");
    assertThat(line(up(build(bad)), "web@back")).startsWith("failed 1->2");
    Path planDir = build(bad);
    assertThat(line(up(planDir), "web@back")).startsWith("failed 2->3");

    RunReport back = rollback(planDir, Selection.ALL);

    assertThat(line(back, "web@back")).isEqualTo("rolled back 3->4");
    assertThat(statuses("back", "web"))
        .containsExactly("1 superseded", "2 failed", "3 failed", "4 deployed");
    assertThat(client().configMaps().inNamespace("back").withName("web").get()).isNotNull();
  }

  @Test
  void downActsOnTheSelectionOnlyAndRefusesToRemoveWhatAnInstalledReleaseNeeds() {
    Path planDir =
        build(
            """
            .o: &o {namespace: sel, create_namespace: true, chart: ./ok}
            releases:
              - {<<: *o, name: db, tags: [data]}
              - {<<: *o, name: api, tags: [app], depends_on: [db]}
            """);
    up(planDir);
    Selection data = new Selection(List.of("data"), false, false);
    Selection app = new Selection(List.of("app"), false, false);

    DownRefusedException refused =
        catchThrowableOfType(DownRefusedException.class, () -> down(planDir, data, false));
    assertThat(refused.getMessage()).contains("db@sel (needed by api@sel)");
    assertThat(statuses("sel", "db")).containsExactly("1 deployed");

    RunReport onlyApi = down(planDir, app, false);
    assertThat(onlyApi.releases()).extracting(ReleaseReport::release).containsExactly("api@sel");
    assertThat(statuses("sel", "api")).isEmpty();
    assertThat(statuses("sel", "db")).containsExactly("1 deployed");
    upForced(planDir);
    RunReport forced = down(planDir, data, true);
    assertThat(line(forced, "db@sel")).isEqualTo("uninstalled 2->-");
    assertThat(statuses("sel", "api")).containsExactly("1 deployed");
  }

  /**
   * Makes the records look like a run that died mid-upgrade: the newest pending, the one before
   * still deployed.
   */
  void markPending(String namespace, String release) {
    List<Secret> records = HelmReleaseRecords.secrets(client(), namespace, release);
    setStatus(namespace, records.get(records.size() - 1), "pending-upgrade");
    setStatus(namespace, records.get(records.size() - 2), "deployed");
  }

  void setStatus(String namespace, Secret record, String status) {
    var json = HelmReleaseRecords.decode(record);
    ((com.fasterxml.jackson.databind.node.ObjectNode) json.path("info")).put("status", status);
    HelmReleaseRecords.encode(record, json);
    record.getMetadata().getLabels().put("status", status);
    record.getMetadata().setResourceVersion(null);
    client().secrets().inNamespace(namespace).resource(record).update();
  }

  @Test
  void aPendingReleaseFollowsItsStrategy() {
    String plan =
        """
        .o: &o {namespace: stuck, create_namespace: true, chart: ./ok}
        releases:
          - {<<: *o, name: p-fail}
          - {<<: *o, name: p-rollback, pending_release_strategy: rollback}
          - {<<: *o, name: p-uninstall, pending_release_strategy: uninstall}
        """;
    Path planDir = build(plan);
    up(planDir);
    upForced(planDir);
    for (String r : List.of("p-fail", "p-rollback", "p-uninstall")) {
      markPending("stuck", r);
    }
    RunReport report = up(planDir);
    assertThat(line(report, "p-fail@stuck"))
        .isEqualTo(
            "failed 2->-: the release is pending-upgrade (revision 2), left by a run that did not finish;"
                + " recover it with 'deployer rollback p-fail@stuck --plandir "
                + planDir
                + "' (back to its last deployed revision), then up again; or set"
                + " pending_release_strategy: rollback, uninstall or wait");
    // The command the message names recovers it.
    RunReport recovered =
        rollback(planDir, new Selection(List.of(), false, false, List.of("p-fail@stuck")));
    assertThat(line(recovered, "p-fail@stuck")).isEqualTo("rolled back 2->3");
    assertThat(statuses("stuck", "p-fail"))
        .containsExactly("1 superseded", "2 failed", "3 deployed");
    assertThat(line(report, "p-rollback@stuck")).isEqualTo("deployed 2->4");
    assertThat(statuses("stuck", "p-rollback"))
        .containsExactly("1 superseded", "2 failed", "3 superseded", "4 deployed");
    assertThat(line(report, "p-uninstall@stuck")).isEqualTo("deployed 2->1");
    assertThat(statuses("stuck", "p-uninstall")).containsExactly("1 deployed");
  }

  @Test
  void withStrategyWaitUpWaitsForAnotherClientsPendingOperation() throws Exception {
    Path planDir =
        build(
            "releases: [{name: w, namespace: waits, create_namespace: true, chart: ./ok,"
                + " pending_release_strategy: wait}]\n");
    up(planDir);
    upForced(planDir);
    markPending("waits", "w");
    // Nobody finishes: the run gives up after --lock-timeout (2 s here).
    assertThat(line(up(planDir), "w@waits"))
        .isEqualTo(
            "failed 2->-: the release is still pending-upgrade (revision 2) after 2s"
                + " (--lock-timeout); another client is working on it");
    // The other client finishes while the run waits: the run then upgrades.
    List<Secret> records = HelmReleaseRecords.secrets(client(), "waits", "w");
    Thread other =
        new Thread(
            () -> {
              try {
                Thread.sleep(1500);
              } catch (InterruptedException e) {
                return;
              }
              setStatus("waits", records.get(records.size() - 2), "superseded");
              setStatus("waits", records.get(records.size() - 1), "deployed");
            });
    other.start();
    List<dev.deployer.core.event.Event> events =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    RunReport report =
        deployer.up(UpRequest.of(planDir, Duration.ofSeconds(30)), events::add, new Cancellation());
    other.join();
    assertThat(line(report, "w@waits")).isEqualTo("deployed 2->3");
    assertThat(events)
        .extracting(Object::toString)
        .anyMatch(
            e -> e.contains("release pending-upgrade (revision 2, another client), up to 30s"));
  }

  @Test
  void aSecondRunWaitsForTheLockThenIsRefusedNamingTheHolder() throws Exception {
    Path planDir =
        build("releases: [{name: api, namespace: locked, create_namespace: true, chart: ./ok}]\n");
    dev.deployer.core.kube.Namespaces.ensure(client(), "locked");
    Release api = dev.deployer.core.plandir.PlanDirectory.open(planDir).plan().releases().get(0);
    try (KubernetesCluster other = KubernetesCluster.create(env, Optional.empty());
        AutoCloseable held = other.lock(api, Duration.ofSeconds(2))) {
      List<dev.deployer.core.event.Event> events =
          java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      RunReport report = up(planDir, false, false, RollbackScope.RELEASE, events::add);
      assertThat(report.succeeded()).isFalse();
      // The run says what it waits for, and for how long.
      assertThat(events)
          .filteredOn(dev.deployer.core.event.Event.ReleaseWaiting.class::isInstance)
          .extracting(Object::toString)
          .singleElement()
          .asString()
          .contains("the lock, held by ", "up to 2 s in all (--lock-timeout)");
      assertThat(report.lockedOut())
          .singleElement()
          .asString()
          .startsWith("api@locked: ")
          .contains("deployer.api");
      assertThat(statuses("locked", "api")).isEmpty();
    }
    assertThat(line(up(planDir), "api@locked")).isEqualTo("deployed -->1");
    // Runs delete their Leases when they end: none is left behind.
    assertThat(
            client()
                .resources(io.fabric8.kubernetes.api.model.coordination.v1.Lease.class)
                .inNamespace("locked")
                .list()
                .getItems())
        .isEmpty();
  }

  @Test
  void aStalePlanIsRefusedUnlessAllowed() {
    files.write("v.yml", "level: info\n");
    String plan =
        "releases: [{name: api, namespace: stale, create_namespace: true, chart: ./ok, values: [v.yml]}]\n";
    Path planDir = build(plan, BuildRequest.DiffMode.LIVE);
    // Someone else deploys other values in between.
    files.write("v.yml", "level: other\n");
    Path other = dir.resolve("other");
    new PlanBuilder(NativeHelmEngine.shared(), new ChartFetcher(), env, Optional.empty())
        .build(
            new BuildRequest(
                dir.resolve("deployer.yml"),
                other,
                Selection.ALL,
                1,
                BuildRequest.DiffMode.NONE,
                false),
            EventListener.NONE);
    up(other);

    StalePlanException e = catchThrowableOfType(StalePlanException.class, () -> up(planDir));
    assertThat(e.getMessage())
        .isEqualTo(
            "the plan is stale: 1 release changed in the cluster since it was built; build again, or deploy anyway with --allow-stale:\n"
                + "  api@stale: built against no release, now revision 1");
    assertThat(statuses("stale", "api")).containsExactly("1 deployed");
    assertThat(line(up(planDir, true, false), "api@stale")).isEqualTo("deployed 1->2");
    // Running the plan again after its own up is not refused: revision 2 is this plan's.
    assertThat(line(up(planDir), "api@stale")).isEqualTo("unchanged 2->2");
  }

  @Test
  void aPlanIsNotStaleAfterItsOwnRunFailed() {
    Path planDir =
        build(
            "releases: [{name: w, namespace: stale-own, create_namespace: true, chart: ./bad, wait: true, timeout: 2s}]\n",
            BuildRequest.DiffMode.LIVE);
    assertThat(line(up(planDir), "w@stale-own")).startsWith("failed -->1: ");
    // Revision 1 is this plan's own failed attempt: the next run tries again.
    assertThat(line(up(planDir), "w@stale-own")).startsWith("failed 1->2: ");
    assertThat(statuses("stale-own", "w")).containsExactly("1 failed", "2 failed");
  }

  @Test
  void rollbackOnFailureOfThePlanUndoesEveryChangeOfTheRun() {
    files.write("v.yml", "level: info\n");
    up(
        build(
            "releases: [{name: base, namespace: all, create_namespace: true, chart: ./ok, values: [v.yml]}]\n"));
    files.write("v.yml", "level: debug\n");
    Path planDir =
        build(
            """
            releases:
              - {name: base, namespace: all, chart: ./ok, values: [v.yml]}
              - {name: extra, namespace: all, chart: ./bad, depends_on: [base], wait: true, timeout: 2s}
            """);
    RunReport report = up(planDir, false, true);
    assertThat(report.succeeded()).isFalse();
    assertThat(line(report, "base@all")).isEqualTo("rolled back 1->3: rolled back with the plan");
    assertThat(line(report, "extra@all"))
        .startsWith("rolled back -->-: ")
        .contains("context deadline exceeded");
    assertThat(configData("all", "base")).containsEntry("level", "info");
    assertThat(statuses("all", "extra")).isEmpty();
  }

  @Test
  void anUndoGoesBackToTheRevisionDeployedBeforeTheRunNeverToTheFailedOneItFound()
      throws Exception {
    files.write("v.yml", "level: info\n");
    up(
        build(
            "releases: [{name: base, namespace: undo-good, create_namespace: true, chart: ./ok,"
                + " values: [v.yml]}]\n"));
    assertThat(
            line(
                up(
                    build(
                        "releases: [{name: base, namespace: undo-good, chart: ./bad, wait: true,"
                            + " timeout: 2s}]\n")),
                "base@undo-good"))
        .startsWith("failed 1->2");
    files.write("v.yml", "level: debug\n");
    Path planDir =
        build(
            """
            releases:
              - {name: base, namespace: undo-good, chart: ./ok, values: [v.yml]}
              - {name: extra, namespace: undo-good, chart: ./bad, depends_on: [base], wait: true, timeout: 2s}
            """);

    RunReport report = up(planDir, false, true);

    // Revision 2 never became ready: the undo goes back to revision 1, as it was before it.
    assertThat(line(report, "base@undo-good"))
        .isEqualTo("rolled back 2->4: rolled back with the plan");
    assertThat(statuses("undo-good", "base"))
        .containsExactly("1 superseded", "2 failed", "3 superseded", "4 deployed");
    assertThat(
            NativeHelmEngine.shared()
                .history(
                    new ReleaseRef(
                        java.nio.file.Files.readString(kubeconfig()), "undo-good", "base")))
        .extracting(h -> h.revision() + " " + h.description())
        .last()
        .isEqualTo("4 Rollback to 1");
    assertThat(configData("undo-good", "base")).containsEntry("level", "info");
  }

  @Test
  void hooksRunAroundUpRollbackAndDownAndAroundEachRelease() throws Exception {
    files.write(
        "hook.sh", "echo \"$DEPLOYER_LIFECYCLE_TYPE ${DEPLOYER_RELEASE:-plan}\" >> hooks.log\n");
    String every =
        "{pre_up: [sh hook.sh], post_up: [sh hook.sh], pre_rollback: [sh hook.sh],"
            + " post_rollback: [sh hook.sh], pre_down: [sh hook.sh], post_down: [sh hook.sh]}";
    Path planDir =
        build(
            """
            lifecycle: %1$s
            releases:
              - {name: one, namespace: hooks, create_namespace: true, chart: ./ok, lifecycle: %1$s}
              - {name: two, namespace: hooks, chart: ./ok, depends_on: [one], lifecycle: {pre_up: [sh hook.sh]}}
            """
                .formatted(every));
    assertThat(up(planDir).succeeded()).isTrue();
    assertThat(java.nio.file.Files.readAllLines(dir.resolve("hooks.log")))
        .containsExactly(
            "pre_up plan",
            "pre_up one@hooks",
            "post_up one@hooks",
            "pre_up two@hooks",
            "post_up plan");
    java.nio.file.Files.delete(dir.resolve("hooks.log"));
    assertThat(upForced(planDir).succeeded()).isTrue();
    java.nio.file.Files.delete(dir.resolve("hooks.log"));
    RunReport rolledBack = rollback(planDir, Selection.ALL);
    assertThat(rolledBack.succeeded()).isTrue();
    RunReport down = down(planDir, Selection.ALL, false);
    assertThat(down.succeeded()).isTrue();
    // Releases are rolled back and removed dependents first: two before one.
    assertThat(java.nio.file.Files.readAllLines(dir.resolve("hooks.log")))
        .containsExactly(
            "pre_rollback plan",
            "pre_rollback one@hooks",
            "post_rollback one@hooks",
            "post_rollback plan",
            "pre_down plan",
            "pre_down one@hooks",
            "post_down one@hooks",
            "post_down plan");
    assertThat(rolledBack.releases())
        .extracting(ReleaseReport::release)
        .containsExactly("two@hooks", "one@hooks");
  }

  @Test
  void aFailedMonitorRollsBackItsReleasesAndWithDependentsScopeWhatDependsOnThem()
      throws Exception {
    var broken = dev.deployer.core.TestHttpServers.answering(404);
    try {
      files.write("v.yml", "level: info\n");
      String plan =
          """
          monitors:
            - {name: health, type: http, interval: 100ms, iteration_timeout: 1s, total_timeout: 10s,
               failure_threshold: 2, http: {url: 'http://127.0.0.1:%d/health'}}
          .o: &o {namespace: watched, create_namespace: true, chart: ./ok, values: [v.yml]}
          releases:
            - {<<: *o, name: api, monitors: [{name: health, action: rollback}]}
            - {<<: *o, name: web, depends_on: [api]}
            - {<<: *o, name: other}
          """
              .formatted(broken.getAddress().getPort());
      // The first run has no monitor result to act on yet: deploy without monitors.
      up(build(plan.replace("monitors: [{name: health, action: rollback}]", "monitors: []")));
      files.write("v.yml", "level: debug\n");
      RunReport report =
          up(build(plan), false, false, RollbackScope.DEPENDENTS, EventListener.NONE);

      assertThat(report.succeeded()).isFalse();
      assertThat(line(report, "api@watched")).isEqualTo("rolled back 1->3: monitor health failed");
      assertThat(line(report, "web@watched"))
          .isEqualTo("rolled back 1->3: depends on api@watched, rolled back");
      assertThat(line(report, "other@watched")).isEqualTo("deployed 1->2");
      assertThat(report.monitors())
          .singleElement()
          .satisfies(
              m -> {
                assertThat(m.outcome().word()).isEqualTo("failed");
                assertThat(m.probes()).isEqualTo(2);
                assertThat(m.lastResult()).contains("HTTP 404");
                assertThat(m.action()).isEqualTo("rolled back api@watched");
              });
      assertThat(configData("watched", "api")).containsEntry("level", "info");
      assertThat(configData("watched", "other")).containsEntry("level", "debug");
    } finally {
      broken.stop(0);
    }
  }

  @Test
  void planScopeRollsBackEverythingTheRunChanged() throws Exception {
    var broken = dev.deployer.core.TestHttpServers.answering(404);
    try {
      files.write("v.yml", "level: info\n");
      String plan =
          """
          monitors:
            - {name: health, type: http, interval: 100ms, failure_threshold: 1, http: {url: 'http://127.0.0.1:%d/'}}
          .o: &o {namespace: planscope, create_namespace: true, chart: ./ok, values: [v.yml]}
          releases:
            - {<<: *o, name: api, monitors: [{name: health, action: rollback}]}
            - {<<: *o, name: other}
            - {<<: *o, name: added, values: [], depends_on: []}
          """
              .formatted(broken.getAddress().getPort());
      up(
          build(
              plan.replace("monitors: [{name: health, action: rollback}]", "monitors: []")
                  .replace("  - {<<: *o, name: added, values: [], depends_on: []}\n", "")));
      files.write("v.yml", "level: debug\n");
      RunReport report = up(build(plan), false, false, RollbackScope.PLAN, EventListener.NONE);
      assertThat(line(report, "api@planscope"))
          .isEqualTo("rolled back 1->3: monitor health failed");
      assertThat(line(report, "other@planscope"))
          .isEqualTo("rolled back 1->3: rolled back with the plan");
      assertThat(line(report, "added@planscope"))
          .isEqualTo("rolled back -->-: rolled back with the plan");
      assertThat(statuses("planscope", "added")).isEmpty();
      assertThat(configData("planscope", "other")).containsEntry("level", "info");
    } finally {
      broken.stop(0);
    }
  }

  @Test
  void conflictingActionsResolveToTheSafestWithAWarningAndUninstallRemovesARelease()
      throws Exception {
    var broken = dev.deployer.core.TestHttpServers.answering(404);
    try {
      String url = "http://127.0.0.1:" + broken.getAddress().getPort();
      Path planDir =
          build(
              """
              monitors:
                - {name: one, type: http, interval: 100ms, failure_threshold: 1, http: {url: '%1$s/a'}}
                - {name: two, type: http, interval: 100ms, failure_threshold: 1, http: {url: '%1$s/b'}}
                - {name: three, type: http, interval: 100ms, failure_threshold: 1, http: {url: 'http://127.0.0.1:9/down'}}
              .o: &o {namespace: conflict, create_namespace: true, chart: ./ok}
              releases:
                - {<<: *o, name: fresh, monitors: [{name: one, action: none}, {name: two, action: uninstall}]}
                - {<<: *o, name: kept, monitors: [{name: three, action: none}]}
              """
                  .formatted(url));
      List<dev.deployer.core.event.Event> events =
          new java.util.concurrent.CopyOnWriteArrayList<>();
      RunReport report = up(planDir, false, false, RollbackScope.RELEASE, events::add);

      assertThat(line(report, "fresh@conflict"))
          .isEqualTo("uninstalled -->-: monitor one failed, two failed");
      assertThat(statuses("conflict", "fresh")).isEmpty();
      assertThat(line(report, "kept@conflict")).isEqualTo("deployed -->1");
      assertThat(monitorLines(report))
          .containsExactly(
              "one failed uninstalled fresh@conflict",
              "two failed uninstalled fresh@conflict",
              "three error none");
      assertThat(report.monitors().get(2).lastResult()).contains("127.0.0.1:9");
      assertThat(events)
          .filteredOn(dev.deployer.core.event.Event.Warning.class::isInstance)
          .extracting(Object::toString)
          .anyMatch(
              w ->
                  w.contains(
                      "fresh@conflict: failed monitors ask for [uninstall, none]; doing the safest, uninstall"));
    } finally {
      broken.stop(0);
    }
  }

  /** A local port nothing listens on: connecting to it is refused. */
  static int closedPort() throws java.io.IOException {
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void aMonitorWhoseBackendIsDownLeavesItsReleaseDeployedUnlessOnErrorFail() throws Exception {
    files.write("v.yml", "level: info\n");
    String plan =
        """
        monitors:
          - {name: metrics, type: prometheus, interval: 100ms, iteration_timeout: 1s,
             total_timeout: 10s, failure_threshold: 2,
             prometheus: {url: 'http://127.0.0.1:%1$d', expr: up}}
          - {name: strict, type: prometheus, interval: 100ms, iteration_timeout: 1s,
             total_timeout: 10s, failure_threshold: 2, on_error: fail,
             prometheus: {url: 'http://127.0.0.1:%1$d', expr: up}}
        .o: &o {namespace: backend-down, create_namespace: true, chart: ./ok, values: [v.yml]}
        releases:
          - {<<: *o, name: steady, monitors: [{name: metrics, action: rollback}]}
          - {<<: *o, name: strict, monitors: [{name: strict, action: rollback}]}
        """
            .formatted(closedPort());
    up(build(plan.replaceAll("monitors: \\[\\{name: \\w+, action: rollback}]", "monitors: []")));
    files.write("v.yml", "level: debug\n");

    RunReport report = up(build(plan));

    assertThat(report.succeeded()).as("an unverified deploy does not succeed").isFalse();
    assertThat(line(report, "steady@backend-down")).isEqualTo("deployed 1->2");
    assertThat(line(report, "strict@backend-down"))
        .isEqualTo("rolled back 1->3: monitor strict failed");
    assertThat(report.monitors())
        .extracting(
            m ->
                m.monitor()
                    + " "
                    + m.outcome()
                    + " failed "
                    + m.failures()
                    + " errors "
                    + m.errors()
                    + ": "
                    + m.action())
        .containsExactly(
            "metrics error failed 0 errors 2: none",
            "strict failed failed 0 errors 2: rolled back strict@backend-down");
    assertThat(report.monitors().get(0).reason())
        .startsWith("2 consecutive errors: Prometheus query failed: cannot connect to");
    assertThat(configData("backend-down", "steady")).containsEntry("level", "debug");
    assertThat(configData("backend-down", "strict")).containsEntry("level", "info");
  }

  @Test
  void aMonitorsCredentialsComeFromTheEnvironmentAtUpAndNeverReachThePlanDirectory()
      throws Exception {
    java.util.concurrent.BlockingQueue<String> authorizations =
        new java.util.concurrent.LinkedBlockingQueue<>();
    var server =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String auth = exchange.getRequestHeaders().getFirst("Authorization");
          authorizations.add(String.valueOf(auth));
          exchange.sendResponseHeaders("Bearer s3cret-token".equals(auth) ? 200 : 401, -1);
          exchange.close();
        });
    server.start();
    try {
      env.put("HEALTH_TOKEN", "s3cret-token");
      deployer = new Deployer(cluster, env, new DefaultProbes(env, dir, cluster));
      Path planDir =
          build(
              """
              monitors:
                - {name: health, type: http, interval: 100ms, success_threshold: 1, failure_threshold: 1,
                   http: {url: 'http://127.0.0.1:%d/health', headers: {Authorization: 'Bearer ${env:HEALTH_TOKEN}'}}}
              releases:
                - {name: api, namespace: secret-monitor, create_namespace: true, chart: ./ok,
                   monitors: [{name: health, action: uninstall}]}
              """
                  .formatted(server.getAddress().getPort()));

      RunReport report = up(planDir);

      assertThat(report.monitors()).extracting(m -> m.outcome().word()).containsExactly("passed");
      assertThat(line(report, "api@secret-monitor")).isEqualTo("deployed -->1");
      assertThat(authorizations.take()).isEqualTo("Bearer s3cret-token");
      try (var walk = java.nio.file.Files.walk(planDir)) {
        for (Path file : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
          assertThat(java.nio.file.Files.readString(file)).doesNotContain("s3cret-token");
        }
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void diffLiveComparesThePlanWithTheCluster() {
    files.write("v.yml", "level: info\n");
    String plan =
        "releases: [{name: web, namespace: live, create_namespace: true, chart: ./ok, values: [v.yml]}]\n";
    Path planDir = build(plan);
    assertThat(deployer.diffLive(planDir, Selection.ALL, false).releases().get(0).change())
        .isEqualTo(dev.deployer.core.diff.Change.ADDED);
    up(planDir);
    assertThat(deployer.diffLive(planDir, Selection.ALL, false).hasChanges()).isFalse();
    files.write("v.yml", "level: warn\n");
    var built = build(plan, BuildRequest.DiffMode.LIVE);
    var diff = deployer.diffLive(built, Selection.ALL, false);
    assertThat(diff.releases().get(0).resources().get(0).unifiedDiff())
        .contains("-  level: \"info\"", "+  level: \"warn\"");
    assertThat(dev.deployer.core.plandir.PlanDirectory.open(built).liveRevision("web@live"))
        .contains(1);
  }

  @Test
  void aReleaseThatDidNotChangeIsNotUpgradedUnlessForced() {
    files.write("v.yml", "level: info\n");
    String plan =
        "releases: [{name: web, namespace: same, create_namespace: true, chart: ./ok, values: [v.yml]%s}]\n";
    Path planDir = build(plan.formatted(""));
    assertThat(line(up(planDir), "web@same")).isEqualTo("deployed -->1");
    // Nothing changed: no revision is written, so max_history is not spent on no-ops.
    assertThat(line(up(planDir), "web@same")).isEqualTo("unchanged 1->1");
    assertThat(statuses("same", "web")).containsExactly("1 deployed");
    // A changed deploy option is a change.
    planDir = build(plan.formatted(", timeout: 7m"));
    assertThat(line(up(planDir), "web@same")).isEqualTo("deployed 1->2");
    assertThat(line(up(planDir), "web@same")).isEqualTo("unchanged 2->2");
    // So is a changed value.
    files.write("v.yml", "level: debug\n");
    planDir = build(plan.formatted(", timeout: 7m"));
    assertThat(line(up(planDir), "web@same")).isEqualTo("deployed 2->3");
    assertThat(line(upForced(planDir), "web@same")).isEqualTo("deployed 3->4");
    // Each revision came from a change or from --force-upgrade.
    assertThat(statuses("same", "web"))
        .containsExactly("1 superseded", "2 superseded", "3 superseded", "4 deployed");
  }

  @Test
  void aPlanDirectoryEditedAfterItsBuildIsRefusedBeforeAnythingRuns() throws Exception {
    files.write("v.yml", "level: info\n");
    files.write("hook.sh", "echo ran >> hook.log\n");
    String plan =
        "lifecycle: {pre_up: [sh hook.sh]}\n"
            + "releases: [{name: web, namespace: edited, create_namespace: true, chart: ./ok, values: [v.yml]}]\n";
    Path planDir = build(plan);
    Path values;
    try (var listing = java.nio.file.Files.walk(planDir.resolve("values"))) {
      values = listing.filter(java.nio.file.Files::isRegularFile).findFirst().orElseThrow();
    }
    String reviewed = java.nio.file.Files.readString(values);
    java.nio.file.Files.writeString(values, "level: edited\n");
    PlanDirectoryChangedExceptionAssert.refuses(
        () -> up(planDir), planDir.relativize(values).toString(), "changed after the build");
    // The local chart's templates are part of what was reviewed.
    java.nio.file.Files.writeString(values, reviewed);
    Path template = dir.resolve("ok/templates/cm.yaml");
    String original = java.nio.file.Files.readString(template);
    java.nio.file.Files.writeString(template, original.replace("level:", "edited-level:"));
    PlanDirectoryChangedExceptionAssert.refuses(
        () -> up(planDir), "chart", "changed since the build");
    java.nio.file.Files.writeString(template, original);
    // An edited planfile (a hook slipped in) is refused too, and its hook never runs.
    Path planfile = planDir.resolve("planfile");
    String text = java.nio.file.Files.readString(planfile);
    java.nio.file.Files.writeString(planfile, text + "# edited\n");
    PlanDirectoryChangedExceptionAssert.refuses(
        () -> up(planDir), "planfile", "the planfile was changed after the build");
    PlanDirectoryChangedExceptionAssert.refuses(
        () -> down(planDir, Selection.ALL, false),
        "planfile",
        "the planfile was changed after the build");
    assertThat(dir.resolve("hook.log")).doesNotExist();
    assertThat(statuses("edited", "web")).isEmpty();
    java.nio.file.Files.writeString(planfile, text);
    assertThat(line(up(planDir), "web@edited")).isEqualTo("deployed -->1");
    assertThat(dir.resolve("hook.log")).exists();
  }

  /** Assertions on a refused plan directory. */
  static final class PlanDirectoryChangedExceptionAssert {
    static void refuses(Runnable run, String file, String message) {
      var e =
          catchThrowableOfType(
              dev.deployer.core.plandir.PlanDirectoryChangedException.class, run::run);
      assertThat(e).as("refused").isNotNull();
      assertThat(e.getMessage())
          .contains("is not the plan directory that was built and reviewed")
          .contains(file)
          .contains(message);
    }
  }

  @Test
  void theDeployTimeRenderIsComparedWithTheReviewedOne() {
    files.chart("looks");
    files.write(
        "looks/templates/cm.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}
        data:
          found: {{ if lookup "v1" "ConfigMap" .Release.Namespace "existing" }}"yes"{{ else }}"no"{{ end }}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: {{ .Release.Name }}
        stringData:
          password: {{ if lookup "v1" "ConfigMap" .Release.Namespace "existing" }}"kept-s3cret"{{ else }}"new-s3cret"{{ end }}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-static
        data:
          a: "1"
        """);
    String plan =
        "releases: [{name: web, namespace: drift, create_namespace: true, chart: ./looks}]\n";
    Path planDir = build(plan);
    dev.deployer.core.kube.Namespaces.ensure(client(), "drift");
    client()
        .configMaps()
        .inNamespace("drift")
        .resource(
            new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
                .withNewMetadata()
                .withName("existing")
                .endMetadata()
                .build())
        .create();

    // With --require-reviewed, the difference refuses the release before anything is applied.
    RunReport refused =
        deployer.up(
            request(planDir).withRequireReviewed(true), EventListener.NONE, new Cancellation());
    assertThat(refused.succeeded()).isFalse();
    assertThat(line(refused, "web@drift"))
        .isEqualTo(
            "failed -->-: refused by --require-reviewed: the deploy-time render differs from the"
                + " reviewed one in 2 resources (~ ConfigMap/drift/web, ~ Secret/drift/web);"
                + " nothing was applied");
    assertThat(statuses("drift", "web")).isEmpty();
    assertThat(client().configMaps().inNamespace("drift").withName("web").get()).isNull();

    // Without it, the release deploys and the report shows every difference, Secrets redacted.
    RunReport report = up(planDir);
    assertThat(line(report, "web@drift")).isEqualTo("deployed -->1");
    String drift =
        report.releases().get(0).renderDrift().orElseThrow(() -> new AssertionError("no drift"));
    assertThat(drift)
        .startsWith("the deploy-time render differs from the reviewed one in 2 resources")
        .contains("-  found: \"no\"", "+  found: \"yes\"", "Secret/drift/web")
        .doesNotContain("s3cret", "web-static");
    assertThat(configData("drift", "web")).containsEntry("found", "yes");
  }

  @Test
  void dryRunsSayWhatWouldBeDoneAndChangeNothing() throws Exception {
    files.write("v.yml", "level: info\n");
    files.write("hook.sh", "echo ran >> hook.log\n");
    String plan =
        """
        lifecycle: {pre_up: [sh hook.sh], pre_down: [sh hook.sh], pre_rollback: [sh hook.sh]}
        releases:
          - {name: db, namespace: dry, create_namespace: true, chart: ./ok, values: [v.yml]}
          - {name: api, namespace: dry, chart: ./ok, depends_on: [db]}
        """;
    Path planDir = build(plan);
    RunReport first = dryUp(planDir);
    assertThat(first.command()).isEqualTo("up --dry-run");
    assertThat(first.releases())
        .extracting(r -> r.release() + " " + r.outcome())
        .containsExactly("db@dry would install", "api@dry would install");
    assertThat(statuses("dry", "db")).isEmpty();
    assertThat(client().namespaces().withName("dry").get()).isNull();

    up(planDir);
    files.write("v.yml", "level: warn\n");
    planDir = build(plan);
    assertThat(dryUp(planDir).releases())
        .extracting(r -> r.release() + " " + r.outcome())
        .containsExactly("db@dry would upgrade", "api@dry unchanged");
    up(planDir);

    RunReport down = dryDown(planDir);
    assertThat(down.releases())
        .extracting(r -> line(down, r.release()))
        .containsExactly(
            "would uninstall 1->-: revision 1 is removed",
            "would uninstall 2->-: revision 2 is removed");
    RunReport back = dryRollback(planDir);
    assertThat(back.releases())
        .extracting(r -> line(back, r.release()))
        .containsExactly(
            "failed 1->-: no revision before 1 was deployed successfully: nothing to roll back to",
            "would roll back 2->-: to revision 1 (now 2)");
    assertThat(statuses("dry", "db")).containsExactly("1 superseded", "2 deployed");
    assertThat(statuses("dry", "api")).containsExactly("1 deployed");
    java.nio.file.Files.delete(dir.resolve("hook.log"));
    assertThat(dryUp(planDir).succeeded()).isTrue();
    assertThat(dir.resolve("hook.log")).doesNotExist();
  }

  RunReport dryUp(Path planDir) {
    return deployer.up(request(planDir).withDryRun(true), EventListener.NONE, new Cancellation());
  }

  @Test
  void rolloutRestartRestartsWorkloadsAfterEveryUpWithoutChangingThePlan() throws Exception {
    files.chart("app");
    files.write(
        "app/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: {{ .Release.Name }}}
        spec:
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    String plan =
        """
        .o: &o {namespace: restart, create_namespace: true, chart: ./app}
        releases:
          - {<<: *o, name: always, rollout_restart: true}
          - {<<: *o, name: asked}
          - {<<: *o, name: never}
        """;
    Path planDir = build(plan);
    RunReport first = up(planDir);
    assertThat(line(first, "always@restart"))
        .isEqualTo("deployed -->1: restarted Deployment/restart/always");
    String at = restartedAt("always");
    assertThat(at).isNotNull();
    assertThat(restartedAt("never")).isNull();
    Thread.sleep(1100); // the annotation has seconds
    RunReport second =
        deployer.up(
            request(planDir).withRestart(List.of("asked@restart")),
            EventListener.NONE,
            new Cancellation());
    // Nothing changed, so no revision; the restart happens anyway, and only where asked.
    assertThat(line(second, "always@restart"))
        .isEqualTo("unchanged 1->1: restarted Deployment/restart/always");
    assertThat(line(second, "asked@restart"))
        .isEqualTo("unchanged 1->1: restarted Deployment/restart/asked");
    assertThat(line(second, "never@restart")).isEqualTo("unchanged 1->1");
    assertThat(restartedAt("always")).isNotNull().isNotEqualTo(at);
    assertThat(restartedAt("asked")).isNotNull();
    assertThat(restartedAt("never")).isNull();
    assertThat(statuses("restart", "always")).containsExactly("1 deployed");

    var unknown =
        catchThrowableOfType(
            dev.deployer.core.plan.PlanException.class,
            () ->
                deployer.up(
                    request(planDir).withRestart(List.of("nope")),
                    EventListener.NONE,
                    new Cancellation()));
    assertThat(unknown.getMessage()).contains("--restart: the plan has no release nope");
  }

  String restartedAt(String deployment) {
    var annotations =
        client()
            .apps()
            .deployments()
            .inNamespace("restart")
            .withName(deployment)
            .get()
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations();
    return annotations == null
        ? null
        : annotations.get(dev.deployer.core.kube.RolloutRestart.ANNOTATION);
  }

  @Test
  @Timeout(180)
  void aRunThatLosesTheLockStopsOperatingOnTheRelease() throws Exception {
    Path planDir =
        build(
            "releases: [{name: held, namespace: lost-lock, create_namespace: true, chart: ./bad,"
                + " wait: true, timeout: 90s}]\n");
    var run =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> deployer.up(request(planDir), EventListener.NONE, new Cancellation()));
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (HelmReleaseRecords.secrets(client(), "lost-lock", "held").isEmpty()) {
      assertThat(System.nanoTime()).as("the install began").isLessThan(deadline);
      Thread.sleep(100);
    }
    // Another holder takes the Lease over (as after a renewal gap longer than its duration).
    var leases =
        client()
            .resources(
                io.fabric8.kubernetes.api.model.coordination.v1.Lease.class,
                io.fabric8.kubernetes.api.model.coordination.v1.LeaseList.class)
            .inNamespace("lost-lock");
    var lease = leases.withName("deployer.held").get();
    lease.getSpec().setHolderIdentity("another-host/1/thief");
    leases.resource(lease).update();
    long stolen = System.nanoTime();

    RunReport report = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
    // The renewal finds it within a third of the lease duration (30 s), not at Helm's timeout.
    assertThat(java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - stolen))
        .isLessThan(25);
    assertThat(line(report, "held@lost-lock"))
        .startsWith(
            "failed -->1: lost the lock of the release (the lease is now held by another-host/1/thief); stopped: ")
        .contains("context canceled");
    assertThat(statuses("lost-lock", "held")).containsExactly("1 failed");
    // The thief's Lease is not deleted by the run that lost it.
    assertThat(leases.withName("deployer.held").get().getSpec().getHolderIdentity())
        .isEqualTo("another-host/1/thief");
  }

  @Test
  void aBuildAgainstTheClusterShowsChangedDeployOptionsInTheSummary() throws Exception {
    String plan =
        "releases: [{name: opts, namespace: live-opts, create_namespace: true, chart: ./ok%s}]\n";
    up(build(plan.formatted("")));
    // A fresh directory, as a CI checkout has: the cluster is all there is to compare with.
    java.util.function.Function<String, String> summary =
        options -> {
          Path file = files.write("deployer.yml", plan.formatted(options));
          Path fresh = dir.resolve("fresh-" + options.hashCode());
          LivePlanBuilders.against(cluster, env)
              .build(
                  new BuildRequest(
                      file, fresh, Selection.ALL, 1, BuildRequest.DiffMode.LIVE, false),
                  EventListener.NONE);
          try {
            return java.nio.file.Files.readString(fresh.resolve("summary.md"));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    assertThat(summary.apply(", timeout: 7m"))
        .contains("deploy options: differ from the live revision's");
    assertThat(summary.apply("")).doesNotContain("deploy options");
  }

  @Test
  void aReleaseLeftUninstallingIsTreatedAsPending() {
    String plan =
        """
        .o: &o {namespace: half-gone, create_namespace: true, chart: ./ok}
        releases:
          - {<<: *o, name: u-fail}
          - {<<: *o, name: u-rollback, pending_release_strategy: rollback}
        """;
    Path planDir = build(plan);
    up(planDir);
    // As an uninstall cut short by a signal leaves them.
    for (String r : List.of("u-fail", "u-rollback")) {
      List<Secret> records = HelmReleaseRecords.secrets(client(), "half-gone", r);
      setStatus("half-gone", records.get(records.size() - 1), "uninstalling");
    }
    RunReport report = up(planDir);
    assertThat(line(report, "u-fail@half-gone"))
        .startsWith(
            "failed 1->-: the release is uninstalling (revision 1), left by a run that did not finish; recover it with 'deployer rollback u-fail@half-gone");
    // rollback: no revision was deployed but the stuck one, so it is removed and installed anew.
    assertThat(line(report, "u-rollback@half-gone")).isEqualTo("deployed 1->1");
    assertThat(statuses("half-gone", "u-rollback")).containsExactly("1 deployed");
  }

  @Test
  void aPlanBuiltAgainstARevisionThatWasUninstalledSinceIsStale() {
    String plan =
        "releases: [{name: gone, namespace: stale-gone, create_namespace: true, chart: ./ok}]\n";
    up(build(plan));
    Path planDir = build(plan, BuildRequest.DiffMode.LIVE);
    down(planDir, Selection.ALL, false);
    StalePlanException e = catchThrowableOfType(StalePlanException.class, () -> up(planDir));
    assertThat(e.getMessage())
        .endsWith("  gone@stale-gone: built against revision 1, now not installed");
  }
}
