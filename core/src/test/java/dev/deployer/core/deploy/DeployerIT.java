package dev.deployer.core.deploy;

import dev.deployer.core.kube.fixture.KubeFixture;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The deploy scenarios against the kube fixture: fabric8's mock server extended for Helm. */
class DeployerIT extends DeployScenarios {
  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  @Override
  Path kubeconfig() {
    return kube.kubeconfigPath();
  }

  @Override
  KubernetesClient client() {
    return kube.client();
  }
}
