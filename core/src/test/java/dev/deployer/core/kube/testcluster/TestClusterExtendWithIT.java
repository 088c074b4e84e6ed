package dev.deployer.core.kube.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code @ExtendWith(TestCluster.class)} gives the same control plane as a parameter. */
@ExtendWith(TestCluster.class)
class TestClusterExtendWithIT {

  @Test
  void theClusterComesAsAParameter(TestCluster cluster) {
    assertThat(cluster).isSameAs(TestCluster.shared());
    String ns = cluster.namespace("param");
    assertThat(cluster.client().namespaces().withName(ns).get()).isNotNull();
    assertThat(cluster.kubeconfigContents()).contains("current-context: testcluster");
  }
}
