package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.kube.testcluster.TestCluster;
import dev.deployer.core.plan.WaitStrategy;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's release operations against the real test control plane: Helm's own rollback (merge
 * semantics, rollback hooks, manifests real charts write), and cancellation owned by deployer.
 */
@Timeout(180)
class NativeHelmEngineIT {
  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  private final HelmEngine engine = NativeHelmEngine.shared();
  @TempDir Path dir;
  private PlanFiles files;
  private String namespace;

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
    namespace = cluster.namespace("engine");
  }

  private ReleaseRef release(String name) {
    return new ReleaseRef(cluster.kubeconfigContents(), namespace, name);
  }

  private ReleaseRevision upgrade(String name, Path chart, Path values) {
    return engine.upgrade(
        new UpgradeRequest(
            release(name),
            chart,
            values == null ? List.of() : List.of(values),
            UpgradeRequest.UpgradeOptions.of(
                dev.deployer.core.plan.Release.Deployment.DEFAULTS.withWaitStrategy(
                    WaitStrategy.WATCHER))),
        Operation.NONE);
  }

  private List<String> history(String name) {
    return engine.history(release(name)).stream()
        .map(r -> r.revision() + " " + r.status() + " " + r.description())
        .toList();
  }

  /** Bitnami's redis ends a ConfigMap with an empty block scalar; the old rollback rejected it. */
  @Test
  void rollsBackAReleaseWhoseManifestEndsWithAnEmptyBlockScalar() {
    Path chart = files.chart("acl");
    files.write(
        "acl/templates/configmap.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-acl
        data:
          mode: {{ .Values.mode | quote }}
          users.acl: |-
        """);
    files.write("acl/values.yaml", "mode: one\n");
    Path two = files.write("two.yml", "mode: two\n");
    upgrade("acl", chart, null);
    upgrade("acl", chart, two);

    ReleaseRevision back =
        engine.rollback(
            RollbackRequest.to(release("acl"), 1, Duration.ofMinutes(1)), Operation.NONE);

    assertThat(back.revision()).isEqualTo(3);
    assertThat(back.status()).isEqualTo(ReleaseStatus.DEPLOYED);
    assertThat(history("acl"))
        .containsExactly(
            "1 superseded Install complete",
            "2 superseded Upgrade complete",
            "3 deployed Rollback to 1");
    assertThat(
            cluster
                .client()
                .configMaps()
                .inNamespace(namespace)
                .withName("acl-acl")
                .get()
                .getData())
        .containsEntry("mode", "one")
        .containsEntry("users.acl", "");
  }

  /** An autoscaler-like client owns replicas; Helm's rollback merges and leaves them alone. */
  @Test
  void rollbackKeepsAFieldAnotherFieldManagerSetInTheCluster() {
    Path chart = files.chart("scaled");
    files.write(
        "scaled/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {{ .Release.Name }}
          annotations: {revision-note: {{ .Values.note | quote }}}
        spec:
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    files.write("scaled/values.yaml", "note: first\n");
    Path second = files.write("second.yml", "note: second\n");
    upgrade("web", chart, null);
    // The autoscaler's own apply: it becomes the manager of spec.replicas.
    Deployment scale =
        new DeploymentBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace(namespace)
            .endMetadata()
            .withNewSpec()
            .withReplicas(3)
            .endSpec()
            .build();
    cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(scale)
        .fieldManager("autoscaler")
        .forceConflicts()
        .serverSideApply();
    upgrade("web", chart, second);

    engine.rollback(RollbackRequest.to(release("web"), 1, Duration.ofMinutes(1)), Operation.NONE);

    Deployment live =
        cluster.client().apps().deployments().inNamespace(namespace).withName("web").get();
    assertThat(live.getMetadata().getAnnotations()).containsEntry("revision-note", "first");
    assertThat(live.getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void rollbackRunsTheChartsRollbackHooks() {
    Path chart = files.chart("hooked");
    for (String phase : List.of("pre-rollback", "post-rollback")) {
      files.write(
          "hooked/templates/" + phase + ".yaml",
          """
          apiVersion: batch/v1
          kind: Job
          metadata:
            name: {{ .Release.Name }}-%1$s
            annotations:
              helm.sh/hook: %1$s
              helm.sh/hook-delete-policy: before-hook-creation
          spec:
            backoffLimit: 0
            template:
              spec:
                restartPolicy: Never
                containers: [{name: hook, image: registry.example/hook:1}]
          """
              .formatted(phase));
    }
    files.write(
        "hooked/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\ndata: {v: {{ .Values.v | quote }}}\n");
    files.write("hooked/values.yaml", "v: one\n");
    upgrade("h", chart, null);
    upgrade("h", chart, files.write("v2.yml", "v: two\n"));
    assertThat(cluster.client().batch().v1().jobs().inNamespace(namespace).list().getItems())
        .isEmpty();

    engine.rollback(RollbackRequest.to(release("h"), 1, Duration.ofMinutes(1)), Operation.NONE);

    assertThat(cluster.client().batch().v1().jobs().inNamespace(namespace).list().getItems())
        .extracting(j -> j.getMetadata().getName() + " " + j.getStatus().getSucceeded())
        .containsExactlyInAnyOrder("h-pre-rollback 1", "h-post-rollback 1");
  }

  /**
   * A signal just before Helm starts (the cancel fires as it is registered): the call does not run,
   * so nothing is installed and no revision is left pending.
   */
  @Test
  void anUpgradeCancelledBeforeItStartsChangesNothing() {
    Path chart = files.chart("early");
    CancelSignal fired =
        action -> {
          action.run();
          return () -> {};
        };
    HelmOperationException e =
        catchThrowableOfType(
            HelmOperationException.class,
            () ->
                engine.upgrade(
                    new UpgradeRequest(
                        release("early"),
                        chart,
                        List.of(),
                        UpgradeRequest.UpgradeOptions.of(
                            dev.deployer.core.plan.Release.Deployment.DEFAULTS.withWaitStrategy(
                                WaitStrategy.WATCHER))),
                    new Operation(fired, x -> {})));
    assertThat(e).as("the upgrade ran although it was cancelled").isNotNull();
    assertThat(e.cancelled()).isTrue();
    assertThat(e.getMessage()).isEqualTo("cancelled before Helm started: context canceled");
    assertThat(engine.history(release("early"))).isEmpty();
  }

  /** While Helm waits, it says what for; cancelling ends the call soon, and Helm records failed. */
  @Test
  void anUpgradeCancelledWhileWaitingEndsFailedWithinTheGracePeriod() throws Exception {
    Path chart = files.chart("stuck");
    files.write(
        "stuck/templates/deployment.yaml",
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: never-ready-{{ .Release.Name }}}
        spec:
          selector: {matchLabels: {app: {{ .Release.Name }}}}
          template:
            metadata: {labels: {app: {{ .Release.Name }}}}
            spec: {containers: [{name: app, image: registry.example/app:1}]}
        """);
    CountDownLatch waiting = new CountDownLatch(1);
    List<EngineEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Runnable> cancel = new CompletableFuture<>();
    CancelSignal signal =
        action -> {
          cancel.complete(action);
          return () -> {};
        };
    CompletableFuture<ReleaseRevision> run =
        CompletableFuture.supplyAsync(
            () ->
                engine.upgrade(
                    new UpgradeRequest(
                        release("s"),
                        chart,
                        List.of(),
                        UpgradeRequest.UpgradeOptions.of(
                            dev.deployer.core.plan.Release.Deployment.DEFAULTS
                                .withWaitStrategy(WaitStrategy.WATCHER)
                                .withTimeout(Duration.ofMinutes(5)))),
                    new Operation(
                        signal,
                        e -> {
                          events.add(e);
                          if (e.waitingFor().isPresent()) {
                            waiting.countDown();
                          }
                        })));
    assertThat(waiting.await(60, TimeUnit.SECONDS)).as("Helm reported what it waits for").isTrue();
    long cancelledAt = System.nanoTime();
    cancel.get(5, TimeUnit.SECONDS).run();

    HelmOperationException e =
        catchThrowableOfType(
            HelmOperationException.class,
            () -> {
              try {
                run.get(30, TimeUnit.SECONDS);
              } catch (java.util.concurrent.ExecutionException x) {
                throw x.getCause();
              }
            });
    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt))
        .isLessThan(Duration.ofSeconds(30));
    assertThat(e.cancelled()).isTrue();
    assertThat(e.getMessage()).contains("context canceled");
    assertThat(events)
        .flatMap(x -> x.waitingFor().stream().toList())
        .anyMatch(w -> w.startsWith("Deployment " + namespace + "/never-ready-s: "));
    assertThat(engine.history(release("s")))
        .extracting(ReleaseRevision::status)
        .containsExactly(ReleaseStatus.FAILED);
  }

  @Test
  void uninstallRemovesTheReleaseAndItsRecords() {
    Path chart = files.chart("gone");
    files.write(
        "gone/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\n");
    upgrade("g", chart, null);

    assertThat(
            engine.uninstall(
                UninstallRequest.of(release("g"), Duration.ofMinutes(1)), Operation.NONE))
        .isTrue();
    assertThat(engine.history(release("g"))).isEmpty();
    assertThat(cluster.client().configMaps().inNamespace(namespace).withName("g").get()).isNull();
    assertThat(
            engine.uninstall(
                UninstallRequest.of(release("g"), Duration.ofMinutes(1)), Operation.NONE))
        .isFalse();
  }
}
