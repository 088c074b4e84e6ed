package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.deployer.core.diff.Manifests;
import dev.deployer.core.kube.fixture.KubeFixture;
import dev.deployer.core.kube.fixture.Workloads;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReleaseDiagnosticsIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  private static final String MANIFEST =
      """
      ---
      # Source: api/templates/configmap.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: api-config
      data:
        level: info
      ---
      # Source: api/templates/deployment.yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: api
        labels: {app.kubernetes.io/instance: api}
      spec:
        replicas: 2
        selector:
          matchLabels: {app: api}
        template:
          metadata:
            labels: {app: api, app.kubernetes.io/instance: api}
          spec:
            containers:
            - name: app
              image: registry.example/api:2
      ---
      # Source: api/templates/worker.yaml
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: worker
      spec:
        replicas: 1
        selector:
          matchLabels: {app: worker}
        template:
          metadata:
            labels: {app: worker}
          spec:
            containers:
            - name: app
              image: registry.example/worker:2
      ---
      # Source: api/templates/migrate.yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: migrate
      spec:
        backoffLimit: 1
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: app
              image: registry.example/migrate:2
      """;

  @BeforeAll
  static void deployTheRelease() {
    kube.createNamespace("shop");
    for (var resource : Manifests.parse(MANIFEST, "shop")) {
      kube.client().resource(resource.text()).inNamespace("shop").create();
    }
    kube.markDeploymentReady("shop", "worker");
    kube.createPod("shop", "worker-1", Map.of("app", "worker"));

    // api: one pod crash-looping, one healthy but not enough to be ready.
    kube.createPod("shop", "api-7d9f", Map.of("app", "api", "app.kubernetes.io/instance", "api"));
    kube.createPod("shop", "api-c3b1", Map.of("app", "api", "app.kubernetes.io/instance", "api"));
    kube.setPodRestartCount("shop", "api-7d9f", 5);
    kube.setPodReady("shop", "api-7d9f", false);
    setContainerState(
        "api-7d9f", state -> state.withNewWaiting().withReason("CrashLoopBackOff").endWaiting());
    kube.createEvent("shop", "Pod", "api-7d9f", "Normal", "Pulled", "Container image pulled");
    kube.createEvent(
        "shop", "Pod", "api-7d9f", "Warning", "BackOff", "Back-off restarting failed container");
    kube.createEvent("shop", "Pod", "worker-1", "Warning", "Unrelated", "not about api");

    kube.failJob("shop", "migrate", "Job has reached the specified backoff limit");
    Pod migrate =
        kube.createPod(
            "shop",
            "migrate-x2k",
            Map.of("job-name", "migrate", "app.kubernetes.io/instance", "api"));
    kube.setPodRestartCount("shop", migrate.getMetadata().getName(), 1);
    kube.setPodReady("shop", "migrate-x2k", false);
    Pod pod = kube.client().pods().inNamespace("shop").withName("migrate-x2k").get();
    pod.getStatus()
        .getContainerStatuses()
        .get(0)
        .setLastState(
            new ContainerStateBuilder()
                .withNewTerminated()
                .withReason("OOMKilled")
                .withExitCode(137)
                .endTerminated()
                .build());
    kube.client().pods().resource(pod).updateStatus();
  }

  private static void setContainerState(String pod, Consumer<ContainerStateBuilder> change) {
    Pod stored = kube.client().pods().inNamespace("shop").withName(pod).get();
    var status = stored.getStatus().getContainerStatuses().get(0);
    ContainerStateBuilder state = new ContainerStateBuilder();
    change.accept(state);
    status.setState(state.build());
    kube.client().pods().resource(stored).updateStatus();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void findsTheCrashLoopingDeploymentWithItsPodsAndWarnings() {
    ReleaseDiagnosis diagnosis = new ReleaseDiagnostics(kube.client()).diagnose(MANIFEST, "shop");

    assertThat(diagnosis.unready())
        .extracting(UnreadyResource::key)
        .containsExactly("Deployment/shop/api", "Job/shop/migrate");
    UnreadyResource api = diagnosis.unready().get(0);
    assertThat(api.state()).isEqualTo("0/2 ready, 0/2 updated");
    assertThat(api.pods()).extracting(PodHealth::name).containsExactly("api-7d9f", "api-c3b1");
    PodHealth crashing = api.pods().get(0);
    assertThat(crashing.ready()).isFalse();
    assertThat(crashing.restarts()).isEqualTo(5);
    assertThat(crashing.containers())
        .singleElement()
        .satisfies(c -> assertThat(c.waitingReason()).contains("CrashLoopBackOff"));
    assertThat(api.pods().get(1).isUnhealthy()).isFalse();
    assertThat(api.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.kind()).isEqualTo("Pod");
              assertThat(e.name()).isEqualTo("api-7d9f");
              assertThat(e.reason()).isEqualTo("BackOff");
              assertThat(e.lastSeen()).isPresent();
            });
    assertThat(api.describe())
        .isEqualTo(
            "Deployment/shop/api: 0/2 ready, 0/2 updated; pod api-7d9f: not ready, restarts 5"
                + " (CrashLoopBackOff, last Error); events: BackOff: Back-off restarting failed"
                + " container");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void findsTheFailedJobAndItsOomKilledPod() {
    ReleaseDiagnosis diagnosis = new ReleaseDiagnostics(kube.client()).diagnose(MANIFEST, "shop");

    UnreadyResource migrate = diagnosis.unready().get(1);
    assertThat(migrate.state())
        .isEqualTo("failed (BackoffLimitExceeded: Job has reached the specified backoff limit)");
    assertThat(migrate.pods())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.reasons()).containsExactly("last OOMKilled");
              assertThat(p.restarts()).isEqualTo(1);
            });
    assertThat(diagnosis.summary())
        .isEqualTo(
            diagnosis.unready().get(0).describe()
                + " | Job/shop/migrate: failed (BackoffLimitExceeded: Job has reached the"
                + " specified backoff limit); pod migrate-x2k: not ready, restarts 1 (last"
                + " OOMKilled)");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aReadyReleaseHasNothingToReport() {
    String readyOnly = MANIFEST.substring(MANIFEST.indexOf("# Source: api/templates/worker.yaml"));
    readyOnly = readyOnly.substring(0, readyOnly.indexOf("---"));

    ReleaseDiagnosis diagnosis = new ReleaseDiagnostics(kube.client()).diagnose(readyOnly, "shop");

    assertThat(diagnosis.isEmpty()).isTrue();
    assertThat(diagnosis.summary()).isEmpty();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void aWorkloadMissingFromTheClusterIsReported() {
    String manifest =
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          selector: {matchLabels: {app: db}}
          template: {metadata: {labels: {app: db}}}
        """;

    ReleaseDiagnosis diagnosis = new ReleaseDiagnostics(kube.client()).diagnose(manifest, "shop");

    assertThat(diagnosis.summary())
        .isEqualTo("StatefulSet/shop/db: not created (or deleted since)");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void warningsOfTheDeploymentsReplicaSetsAreIncluded() {
    Deployment quota =
        kube.client()
            .apps()
            .deployments()
            .inNamespace("shop")
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("quota")
                    .endMetadata()
                    .withNewSpec()
                    .withReplicas(1)
                    .withSelector(Workloads.selector("app", "quota"))
                    .withTemplate(
                        Workloads.podTemplate("app", "quota", "app", "registry.example/quota:1"))
                    .endSpec()
                    .build())
            .create();
    kube.client()
        .apps()
        .replicaSets()
        .inNamespace("shop")
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("quota-5b8c")
                .addToLabels("app", "quota")
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName("quota")
                .withUid(quota.getMetadata().getUid())
                .endOwnerReference()
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .addToMatchLabels("app", "quota")
                .endSelector()
                .endSpec()
                .build())
        .create();
    kube.createEvent(
        "shop",
        "ReplicaSet",
        "quota-5b8c",
        "Warning",
        "FailedCreate",
        "pods \"quota-5b8c-abcde\" is forbidden: exceeded quota: compute.");
    String manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: quota}\n";

    ReleaseDiagnosis diagnosis = new ReleaseDiagnostics(kube.client()).diagnose(manifest, "shop");

    assertThat(diagnosis.summary())
        .isEqualTo(
            "Deployment/shop/quota: 0/1 ready, 0/1 updated; events: FailedCreate: pods"
                + " \"quota-5b8c-abcde\" is forbidden: exceeded quota: compute");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void releasePodsAreFoundByTheInstanceLabel() {
    List<PodHealth> pods = ReleasePods.of(kube.client(), "shop", "api");

    assertThat(pods)
        .extracting(PodHealth::name, PodHealth::ready, PodHealth::restarts)
        .containsExactly(
            tuple("api-7d9f", false, 5),
            tuple("api-c3b1", true, 0),
            tuple("migrate-x2k", false, 1));
    assertThat(ReleasePods.of(kube.client(), "shop", "nothing")).isEmpty();
  }
}
