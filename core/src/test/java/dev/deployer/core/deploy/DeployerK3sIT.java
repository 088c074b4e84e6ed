package dev.deployer.core.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The same deploy scenarios against a real K3s cluster in Docker. Where no Docker engine runs (as
 * on this project's CI machines), every scenario is skipped with a message that says so.
 */
class DeployerK3sIT extends DeployScenarios {
  private static K3sContainer k3s;
  private static Path kubeconfig;
  private static KubernetesClient client;

  private static final boolean DOCKER = DockerClientFactory.instance().isDockerAvailable();

  @BeforeAll
  static void startK3s() throws IOException {
    if (!DOCKER) {
      return;
    }
    k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"));
    k3s.start();
    kubeconfig = Files.createTempFile("deployer-k3s-", ".yaml");
    Files.writeString(kubeconfig, k3s.getKubeConfigYaml());
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(k3s.getKubeConfigYaml()))
            .build();
  }

  @AfterAll
  static void stopK3s() throws IOException {
    if (client != null) {
      client.close();
    }
    if (k3s != null) {
      k3s.stop();
    }
    if (kubeconfig != null) {
      Files.deleteIfExists(kubeconfig);
    }
  }

  @Override
  void assumeCluster() {
    assumeTrue(
        DOCKER,
        "requires Docker: no Docker engine here, so this K3s scenario did not run"
            + " (the same scenario ran against the kube fixture in DeployerIT)");
  }

  @Override
  Path kubeconfig() {
    return kubeconfig;
  }

  @Override
  KubernetesClient client() {
    return client;
  }
}
