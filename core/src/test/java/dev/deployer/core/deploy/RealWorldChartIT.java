package dev.deployer.core.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.TestFiles;
import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.fake.FakeDeploy;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.kube.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A chart shaped like upstream ones ({@code src/test/resources/charts/realworld}: CRDs in {@code
 * crds/} and a custom resource, a Secret that keeps its password across upgrades through {@code
 * lookup}, a ConfigMap ending with an empty block scalar, a migrate hook Job with {@code
 * before-hook-creation,hook-succeeded}, a library chart dependency, a test hook pod with a random
 * name, a ClusterRole, a LoadBalancer Service and a PVC) deployed with {@code wait: watcher} on the
 * real test control plane, upgraded, rolled back, and failed by its hook.
 */
@Timeout(300)
class RealWorldChartIT {
  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  @TempDir Path dir;
  private Map<String, String> env;
  private KubernetesCluster kube;
  private Deployer deployer;
  private String ns;

  @BeforeEach
  void setUp() throws IOException {
    for (String chart : new String[] {"realworld", "common"}) {
      TestFiles.copyTree(
          Path.of("src/test/resources/charts", chart), dir.resolve("charts").resolve(chart));
    }
    env =
        new TreeMap<>(
            Map.of(
                "PATH", System.getenv("PATH"), "KUBECONFIG", cluster.kubeconfigPath().toString()));
    kube = KubernetesCluster.create(env, Optional.empty());
    deployer = new Deployer(kube, env);
    ns = cluster.namespace("realworld");
  }

  @AfterEach
  void tearDown() {
    kube.close();
  }

  private RunReport up(String values) throws IOException {
    Files.writeString(dir.resolve("values.yml"), values);
    Path plan =
        Files.writeString(
            dir.resolve("deployer.yml"),
            """
            releases:
              - name: rw
                namespace: %s
                chart: ./charts/realworld
                values: [values.yml]
                wait: watcher
                timeout: 90s
            """
                .formatted(ns));
    Path planDir = dir.resolve(".deployer");
    new PlanBuilder(NativeHelmEngine.shared(), new ChartFetcher(), env, Optional.empty())
        .build(
            new BuildRequest(plan, planDir, Selection.ALL, 1, BuildRequest.DiffMode.NONE, false),
            EventListener.NONE);
    return deployer.up(
        new UpRequest(
            planDir, Selection.ALL, 0, true, false, RollbackScope.RELEASE, Duration.ofSeconds(5)),
        EventListener.NONE,
        new Cancellation());
  }

  /** How many of the release's Deployment pods are ready now. */
  private Integer readyReplicas() {
    return cluster
        .client()
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("rw")
        .get()
        .getStatus()
        .getReadyReplicas();
  }

  private String password() {
    return cluster
        .client()
        .secrets()
        .inNamespace(ns)
        .withName("rw-auth")
        .get()
        .getData()
        .get("password");
  }

  @Test
  void deploysUpgradesAndRollsBackAChartShapedLikeUpstreamOnes() throws IOException {
    RunReport first = up("replicas: 2\n");
    assertThat(FakeDeploy.line(first, "rw@" + ns)).isEqualTo("deployed -->1");

    var client = cluster.client();
    assertThat(
            client
                .apiextensions()
                .v1()
                .customResourceDefinitions()
                .withName("widgets.shop.example.com")
                .get())
        .isNotNull();
    GenericKubernetesResource widget =
        client
            .genericKubernetesResources(
                new ResourceDefinitionContext.Builder()
                    .withGroup("shop.example.com")
                    .withVersion("v1")
                    .withPlural("widgets")
                    .withNamespaced(true)
                    .build())
            .inNamespace(ns)
            .withName("rw-widget")
            .get();
    assertThat(widget.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/name", "realworld"); // from the library chart
    assertThat(client.configMaps().inNamespace(ns).withName("rw-config").get().getData())
        .containsEntry("users.acl", "");
    assertThat(client.rbac().clusterRoles().withName(ns + "-rw-reader").get()).isNotNull();
    assertThat(
            client
                .services()
                .inNamespace(ns)
                .withName("rw-lb")
                .get()
                .getStatus()
                .getLoadBalancer()
                .getIngress())
        .isNotEmpty();
    assertThat(
            client
                .persistentVolumeClaims()
                .inNamespace(ns)
                .withName("rw-data")
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo("Bound");
    assertThat(readyReplicas()).isEqualTo(2);
    // hook-succeeded: the migrate Job ran and was deleted.
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("rw-migrate").get()).isNull();
    String password = password();

    RunReport second = up("replicas: 3\n");
    assertThat(FakeDeploy.line(second, "rw@" + ns)).isEqualTo("deployed 1->2");
    assertThat(password()).as("lookup keeps the password at deploy time").isEqualTo(password);
    assertThat(readyReplicas()).isEqualTo(3);

    RunReport back =
        deployer.rollback(
            dir.resolve(".deployer"),
            Selection.ALL,
            Optional.empty(),
            0,
            Duration.ofSeconds(5),
            EventListener.NONE,
            new Cancellation());
    assertThat(FakeDeploy.line(back, "rw@" + ns)).isEqualTo("rolled back 2->3");
    assertThat(
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("rw")
                .get()
                .getSpec()
                .getReplicas())
        .isEqualTo(2);
    assertThat(password()).isEqualTo(password);
  }

  @Test
  void aFailingMigrateHookFailsTheReleaseNamingTheJob() throws IOException {
    RunReport report = up("migrateJobPrefix: fail-\n");

    assertThat(FakeDeploy.line(report, "rw@" + ns))
        .startsWith("failed -->1: ")
        .contains("fail-rw-migrate");
  }
}
