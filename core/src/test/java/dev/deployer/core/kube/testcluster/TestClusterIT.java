package dev.deployer.core.kube.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.kube.fixture.Workloads;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the test control plane does that the fabric8 mock cannot: controllers, nodes, storage. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TestClusterIT {

  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  /** Loose bound: catches a hang, says nothing about speed. */
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  private static KubernetesClient kube() {
    return cluster.client();
  }

  /** Polls until {@code check} holds and returns the last value seen. */
  private <T> T eventually(String what, Supplier<T> read, java.util.function.Predicate<T> check)
      throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = read.get();
      } catch (RuntimeException e) {
        last = null;
      }
      if (last != null && check.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "timed out waiting for " + what + "; last seen: " + last + "\n" + cluster.logTail());
  }

  private static Deployment deployment(String name, int replicas) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .addToMatchLabels("app", name)
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .addToLabels("app", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/" + name + ":1.0")
        .addNewPort()
        .withContainerPort(8080)
        .endPort()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Job job(String name) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(1)
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("task")
        .withImage("registry.example/task:1.0")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage("registry.example/app:1.0")
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void versionIsTheKubernetesReleaseOfGoMod() throws Exception {
    // What kubectl version, Helm's kubeVersion checks and .Capabilities.KubeVersion read.
    java.util.regex.Matcher required =
        java.util.regex.Pattern.compile(
                "(?m)^\\s*k8s\\.io/kubernetes (v(\\d+)\\.(\\d+)\\.\\d+)\\s*$")
            .matcher(
                java.nio.file.Files.readString(
                    Processes.repositoryRoot().resolve("testcluster/go.mod")));
    assertThat(required.find()).as("k8s.io/kubernetes in testcluster/go.mod").isTrue();
    var version = kube().getKubernetesVersion();
    assertThat(version.getGitVersion()).isEqualTo(required.group(1));
    assertThat(version.getMajor()).isEqualTo(required.group(2));
    assertThat(version.getMinor()).isEqualTo(required.group(3));
    assertThat(version.getGitTreeState()).isEqualTo("clean");
    // The module's release time, not the build's: the same sources make the same program.
    assertThat(version.getBuildDate().toInstant())
        .isAfter(java.time.Instant.parse("2024-01-01T00:00:00Z"));
  }

  @Test
  void threeReadyNodes() {
    List<Node> nodes = kube().nodes().list().getItems();
    assertThat(nodes).hasSize(3);
    assertThat(nodes)
        .allSatisfy(
            n ->
                assertThat(n.getStatus().getConditions())
                    .anySatisfy(
                        c -> {
                          assertThat(c.getType()).isEqualTo("Ready");
                          assertThat(c.getStatus()).isEqualTo("True");
                        }));
    assertThat(nodes).allSatisfy(n -> assertThat(n.getSpec().getTaints()).isNullOrEmpty());
  }

  @Test
  void aDeploymentBecomesAvailableBehindItsService() throws Exception {
    String ns = cluster.namespace("deploy");
    kube().apps().deployments().inNamespace(ns).resource(deployment("web", 2)).create();
    var service =
        kube()
            .services()
            .inNamespace(ns)
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("web")
                    .endMetadata()
                    .withNewSpec()
                    .addToSelector("app", "web")
                    .addNewPort()
                    .withPort(80)
                    .withNewTargetPort(8080)
                    .endPort()
                    .endSpec()
                    .build())
            .create();
    assertThat(service.getSpec().getClusterIP()).startsWith("10.96.");

    Deployment ready =
        eventually(
            "deployment web available",
            () -> kube().apps().deployments().inNamespace(ns).withName("web").get(),
            d ->
                d.getStatus() != null
                    && Objects.equals(d.getStatus().getReadyReplicas(), 2)
                    && Objects.equals(d.getStatus().getAvailableReplicas(), 2));
    assertThat(ready.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Available");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(kube().apps().replicaSets().inNamespace(ns).list().getItems())
        .singleElement()
        .satisfies(
            rs ->
                assertThat(rs.getMetadata().getOwnerReferences().get(0).getName())
                    .isEqualTo("web"));
    List<Pod> pods = kube().pods().inNamespace(ns).withLabel("app", "web").list().getItems();
    assertThat(pods)
        .hasSize(2)
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Running");
              assertThat(p.getStatus().getPodIP()).isNotBlank();
              assertThat(p.getSpec().getNodeName()).startsWith("testcluster-node-");
              assertThat(p.getStatus().getContainerStatuses())
                  .singleElement()
                  .satisfies(
                      cs -> {
                        assertThat(cs.getReady()).isTrue();
                        assertThat(cs.getState().getRunning()).isNotNull();
                      });
            });

    var endpoints =
        eventually(
            "endpoints of web",
            () -> kube().endpoints().inNamespace(ns).withName("web").get(),
            e ->
                e.getSubsets() != null
                    && e.getSubsets().size() == 1
                    && e.getSubsets().get(0).getAddresses().size() == 2);
    assertThat(endpoints.getSubsets().get(0).getAddresses())
        .extracting(a -> a.getIp())
        .containsExactlyInAnyOrderElementsOf(
            pods.stream().map(p -> p.getStatus().getPodIP()).toList());
    eventually(
        "an endpoint slice of web with two ready endpoints",
        () ->
            kube()
                .discovery()
                .v1()
                .endpointSlices()
                .inNamespace(ns)
                .withLabel("kubernetes.io/service-name", "web")
                .list()
                .getItems(),
        slices ->
            slices.size() == 1
                && slices.get(0).getEndpoints() != null
                && slices.get(0).getEndpoints().stream()
                        .filter(e -> Boolean.TRUE.equals(e.getConditions().getReady()))
                        .count()
                    == 2);
  }

  @Test
  void aDaemonSetRunsOnePodOnEveryNode() throws Exception {
    String ns = cluster.namespace("ds");
    kube()
        .apps()
        .daemonSets()
        .inNamespace(ns)
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("agent")
                .endMetadata()
                .withNewSpec()
                .withSelector(Workloads.selector("app", "agent"))
                .withTemplate(
                    Workloads.podTemplate("app", "agent", "agent", "registry.example/agent:1.0"))
                .endSpec()
                .build())
        .create();
    eventually(
        "daemonset agent ready on three nodes",
        () -> kube().apps().daemonSets().inNamespace(ns).withName("agent").get(),
        d -> d.getStatus() != null && Objects.equals(d.getStatus().getNumberReady(), 3));
    assertThat(kube().pods().inNamespace(ns).list().getItems())
        .extracting(p -> p.getSpec().getNodeName())
        .containsExactlyInAnyOrder(
            "testcluster-node-1", "testcluster-node-2", "testcluster-node-3");
  }

  @Test
  void aLoadBalancerServiceGetsAnIngressAddress() throws Exception {
    String ns = cluster.namespace("lb");
    kube()
        .services()
        .inNamespace(ns)
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("front")
                .endMetadata()
                .withNewSpec()
                .withType("LoadBalancer")
                .addToSelector("app", "front")
                .addNewPort()
                .withPort(443)
                .endPort()
                .endSpec()
                .build())
        .create();
    var service =
        eventually(
            "an ingress address for front",
            () -> kube().services().inNamespace(ns).withName("front").get(),
            s -> !s.getStatus().getLoadBalancer().getIngress().isEmpty());
    assertThat(service.getStatus().getLoadBalancer().getIngress().get(0).getIp())
        .startsWith("192.0.2.");
    assertThat(service.getSpec().getPorts().get(0).getNodePort()).isPositive();
  }

  @Test
  void aJobCompletes() throws Exception {
    String ns = cluster.namespace("job");
    kube().batch().v1().jobs().inNamespace(ns).resource(job("migrate")).create();
    Job done =
        eventually(
            "job migrate complete",
            () -> kube().batch().v1().jobs().inNamespace(ns).withName("migrate").get(),
            j -> j.getStatus() != null && Objects.equals(j.getStatus().getSucceeded(), 1));
    assertThat(done.getStatus().getConditions())
        .anySatisfy(
            c -> {
              assertThat(c.getType()).isEqualTo("Complete");
              assertThat(c.getStatus()).isEqualTo("True");
            });
    assertThat(kube().pods().inNamespace(ns).withLabel("job-name", "migrate").list().getItems())
        .singleElement()
        .satisfies(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded"));
  }

  @Test
  void aFailJobFailsWithBackoffLimitExceeded() throws Exception {
    String ns = cluster.namespace("jobfail");
    kube().batch().v1().jobs().inNamespace(ns).resource(job(TestCluster.FAIL + "migrate")).create();
    Job failed =
        eventually(
            "job fail-migrate failed",
            () -> kube().batch().v1().jobs().inNamespace(ns).withName("fail-migrate").get(),
            j ->
                j.getStatus() != null
                    && j.getStatus().getConditions() != null
                    && j.getStatus().getConditions().stream()
                        .anyMatch(
                            c -> c.getType().equals("Failed") && c.getStatus().equals("True")));
    assertThat(failed.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Failed"))
        .singleElement()
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("BackoffLimitExceeded"));
    assertThat(
            kube().pods().inNamespace(ns).withLabel("job-name", "fail-migrate").list().getItems())
        .isNotEmpty()
        .allSatisfy(
            p -> {
              assertThat(p.getStatus().getPhase()).isEqualTo("Failed");
              assertThat(
                      p.getStatus()
                          .getContainerStatuses()
                          .get(0)
                          .getState()
                          .getTerminated()
                          .getExitCode())
                  .isEqualTo(1);
            });
  }

  @Test
  void aNeverReadyPodRunsButStaysUnready() throws Exception {
    String ns = cluster.namespace("unready");
    String name = TestCluster.NEVER_READY + "web";
    kube().pods().inNamespace(ns).resource(pod(name)).create();
    eventually(
        "an Unhealthy event for " + name,
        () ->
            kube()
                .v1()
                .events()
                .inNamespace(ns)
                .withField("involvedObject.name", name)
                .list()
                .getItems(),
        events -> events.stream().anyMatch(e -> "Unhealthy".equals(e.getReason())));
    Thread.sleep(2000); // later looks must see it unready still
    Pod pod = kube().pods().inNamespace(ns).withName(name).get();
    assertThat(pod.getStatus().getPhase()).isEqualTo("Running");
    ContainerStatus status = pod.getStatus().getContainerStatuses().get(0);
    assertThat(status.getReady()).isFalse();
    assertThat(status.getState().getRunning()).isNotNull();
    assertThat(pod.getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Ready"))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getStatus()).isEqualTo("False");
              assertThat(c.getMessage()).isEqualTo("containers with unready status: [app]");
            });
  }

  @Test
  void aCrashloopPodRestartsAgainAndAgain() throws Exception {
    String ns = cluster.namespace("crash");
    String name = TestCluster.CRASHLOOP + "web";
    kube().pods().inNamespace(ns).resource(pod(name)).create();
    eventually(
        "a container of " + name + " in CrashLoopBackOff",
        () ->
            kube()
                .pods()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getStatus()
                .getContainerStatuses()
                .get(0),
        cs ->
            cs.getState().getWaiting() != null
                && "CrashLoopBackOff".equals(cs.getState().getWaiting().getReason()));
    ContainerStatus restarted =
        eventually(
            name + " restarted twice",
            () ->
                kube()
                    .pods()
                    .inNamespace(ns)
                    .withName(name)
                    .get()
                    .getStatus()
                    .getContainerStatuses()
                    .get(0),
            cs -> cs.getRestartCount() >= 2);
    assertThat(restarted.getLastState().getTerminated().getExitCode()).isEqualTo(1);
    eventually(
        "a container of " + name + " ready again",
        () ->
            kube()
                .pods()
                .inNamespace(ns)
                .withName(name)
                .get()
                .getStatus()
                .getContainerStatuses()
                .get(0),
        ContainerStatus::getReady);
  }

  private static PersistentVolumeClaim claim(String name, String storageClass) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .addToRequests("storage", new Quantity("2Gi"))
        .endResources()
        .endSpec()
        .build();
  }

  @Test
  void aClaimOfTheDefaultClassBindsAndOneOfAnUnknownClassStaysPending() throws Exception {
    String ns = cluster.namespace("pvc");
    kube().persistentVolumeClaims().inNamespace(ns).resource(claim("data", null)).create();
    kube()
        .persistentVolumeClaims()
        .inNamespace(ns)
        .resource(claim("lost", "no-such-class"))
        .create();
    PersistentVolumeClaim bound =
        eventually(
            "claim data bound",
            () -> kube().persistentVolumeClaims().inNamespace(ns).withName("data").get(),
            c -> "Bound".equals(c.getStatus().getPhase()));
    assertThat(bound.getSpec().getStorageClassName()).isEqualTo("standard");
    var volume = kube().persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    assertThat(volume.getSpec().getCapacity().get("storage")).isEqualTo(new Quantity("2Gi"));
    assertThat(volume.getSpec().getClaimRef().getName()).isEqualTo("data");
    eventually(
        "a ProvisioningFailed event for claim lost",
        () ->
            kube()
                .v1()
                .events()
                .inNamespace(ns)
                .withField("involvedObject.name", "lost")
                .list()
                .getItems(),
        events -> events.stream().anyMatch(e -> "ProvisioningFailed".equals(e.getReason())));
    assertThat(
            kube()
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName("lost")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Pending");
  }

  @Test
  void aStatefulSetWithClaimTemplatesBecomesReady() throws Exception {
    String ns = cluster.namespace("sts");
    kube()
        .apps()
        .statefulSets()
        .inNamespace(ns)
        .resource(
            new StatefulSetBuilder()
                .withNewMetadata()
                .withName("db")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withServiceName("db")
                .withNewSelector()
                .addToMatchLabels("app", "db")
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app", "db")
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("db")
                .withImage("registry.example/db:1.0")
                .addNewVolumeMount()
                .withName("data")
                .withMountPath("/data")
                .endVolumeMount()
                .endContainer()
                .endSpec()
                .endTemplate()
                .withVolumeClaimTemplates(claim("data", null))
                .endSpec()
                .build())
        .create();
    eventually(
        "statefulset db ready",
        () -> kube().apps().statefulSets().inNamespace(ns).withName("db").get(),
        s -> s.getStatus() != null && Objects.equals(s.getStatus().getReadyReplicas(), 2));
    assertThat(kube().persistentVolumeClaims().inNamespace(ns).list().getItems())
        .extracting(c -> c.getMetadata().getName() + "=" + c.getStatus().getPhase())
        .containsExactlyInAnyOrder("data-db-0=Bound", "data-db-1=Bound");
  }

  @Test
  void aCustomResourceDefinitionServesItsResources() throws Exception {
    String group =
        "t" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 30), 36) + ".deployer.dev";
    CustomResourceDefinition crd =
        new CustomResourceDefinitionBuilder()
            .withNewMetadata()
            .withName("widgets." + group)
            .endMetadata()
            .withNewSpec()
            .withGroup(group)
            .withScope("Namespaced")
            .withNewNames()
            .withKind("Widget")
            .withPlural("widgets")
            .withSingular("widget")
            .withListKind("WidgetList")
            .endNames()
            .addNewVersion()
            .withName("v1")
            .withServed(true)
            .withStorage(true)
            .withNewSchema()
            .withNewOpenAPIV3Schema()
            .withType("object")
            .withXKubernetesPreserveUnknownFields(true)
            .endOpenAPIV3Schema()
            .endSchema()
            .endVersion()
            .endSpec()
            .build();
    kube().apiextensions().v1().customResourceDefinitions().resource(crd).create();
    try {
      eventually(
          "CRD widgets." + group + " established",
          () ->
              kube()
                  .apiextensions()
                  .v1()
                  .customResourceDefinitions()
                  .withName("widgets." + group)
                  .get(),
          c ->
              c.getStatus() != null
                  && c.getStatus().getConditions() != null
                  && c.getStatus().getConditions().stream()
                      .anyMatch(
                          x -> x.getType().equals("Established") && x.getStatus().equals("True")));
      String ns = cluster.namespace("crd");
      GenericKubernetesResource widget =
          new GenericKubernetesResourceBuilder()
              .withApiVersion(group + "/v1")
              .withKind("Widget")
              .withNewMetadata()
              .withName("gear")
              .endMetadata()
              .withAdditionalProperties(Map.of("spec", Map.of("teeth", 12)))
              .build();
      GenericKubernetesResource stored =
          eventually(
              "widget gear created",
              () ->
                  kube()
                      .genericKubernetesResources(group + "/v1", "Widget")
                      .inNamespace(ns)
                      .resource(widget)
                      .create(),
              Objects::nonNull);
      assertThat(stored.getMetadata().getUid()).isNotBlank();
      GenericKubernetesResource read =
          kube()
              .genericKubernetesResources(group + "/v1", "Widget")
              .inNamespace(ns)
              .withName("gear")
              .get();
      assertThat(read.getAdditionalProperties().get("spec")).isEqualTo(Map.of("teeth", 12));
    } finally {
      kube().apiextensions().v1().customResourceDefinitions().withName("widgets." + group).delete();
    }
  }

  @Test
  void deletingADeploymentCollectsItsReplicaSetsAndPods() throws Exception {
    String ns = cluster.namespace("gc");
    kube().apps().deployments().inNamespace(ns).resource(deployment("gone", 2)).create();
    eventually(
        "deployment gone ready",
        () -> kube().apps().deployments().inNamespace(ns).withName("gone").get(),
        d -> d.getStatus() != null && Objects.equals(d.getStatus().getReadyReplicas(), 2));
    kube().apps().deployments().inNamespace(ns).withName("gone").delete();
    eventually(
        "replica sets and pods of gone collected",
        () ->
            kube().apps().replicaSets().inNamespace(ns).list().getItems().size()
                + kube().pods().inNamespace(ns).list().getItems().size(),
        left -> left == 0);
  }

  @Test
  void deletingANamespaceFinishes() throws Exception {
    String ns = cluster.namespace("doomed");
    kube().apps().deployments().inNamespace(ns).resource(deployment("app", 1)).create();
    kube().persistentVolumeClaims().inNamespace(ns).resource(claim("data", null)).create();
    eventually(
        "deployment app ready",
        () -> kube().apps().deployments().inNamespace(ns).withName("app").get(),
        d -> d.getStatus() != null && Objects.equals(d.getStatus().getReadyReplicas(), 1));
    kube().namespaces().withName(ns).delete();
    eventually(
        "namespace " + ns + " gone",
        () -> kube().namespaces().withName(ns).get() == null,
        gone -> gone);
  }

  @Test
  void aNewNamespaceGetsItsDefaultServiceAccountAndRootCertificate() throws Exception {
    String ns = cluster.namespace("sa");
    eventually(
        "service account default in " + ns,
        () -> kube().serviceAccounts().inNamespace(ns).withName("default").get(),
        Objects::nonNull);
    eventually(
        "config map kube-root-ca.crt in " + ns,
        () -> kube().configMaps().inNamespace(ns).withName("kube-root-ca.crt").get(),
        cm -> cm.getData().get("ca.crt").contains("BEGIN CERTIFICATE"));
  }

  @Test
  void fieldSelectorsFilterPodsByNodeAndEventsByObject() throws Exception {
    String ns = cluster.namespace("fields");
    kube().pods().inNamespace(ns).resource(pod("one")).create();
    kube().pods().inNamespace(ns).resource(pod("two")).create();
    Pod one =
        eventually(
            "pod one running",
            () -> kube().pods().inNamespace(ns).withName("one").get(),
            p -> "Running".equals(p.getStatus().getPhase()));
    Pod two =
        eventually(
            "pod two running",
            () -> kube().pods().inNamespace(ns).withName("two").get(),
            p -> "Running".equals(p.getStatus().getPhase()));
    String node = one.getSpec().getNodeName();
    List<String> onNode =
        kube().pods().inNamespace(ns).withField("spec.nodeName", node).list().getItems().stream()
            .map(p -> p.getMetadata().getName())
            .toList();
    assertThat(onNode).contains("one");
    if (!two.getSpec().getNodeName().equals(node)) {
      assertThat(onNode).doesNotContain("two");
    }
    assertThat(
            kube()
                .pods()
                .inNamespace(ns)
                .withField("spec.nodeName", "no-such-node")
                .list()
                .getItems())
        .isEmpty();

    var events =
        eventually(
            "events of pod one",
            () ->
                kube()
                    .v1()
                    .events()
                    .inNamespace(ns)
                    .withField("involvedObject.name", "one")
                    .list()
                    .getItems(),
            list -> list.stream().anyMatch(e -> "Scheduled".equals(e.getReason())));
    assertThat(events)
        .allSatisfy(e -> assertThat(e.getInvolvedObject().getName()).isEqualTo("one"));
  }
}
