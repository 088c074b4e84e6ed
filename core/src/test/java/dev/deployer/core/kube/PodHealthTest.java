package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodHealthTest {

  @Test
  void imagePullBackOffOfAnInitContainerIsAReason() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("api-1")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .addNewInitContainerStatus()
            .withName("migrate")
            .withReady(false)
            .withRestartCount(0)
            .withNewState()
            .withNewWaiting()
            .withReason("ImagePullBackOff")
            .endWaiting()
            .endState()
            .endInitContainerStatus()
            .endStatus()
            .build();

    PodHealth health = PodHealth.of(pod);

    assertThat(health.isUnhealthy()).isTrue();
    assertThat(health.describe()).isEqualTo("pod api-1: Pending, restarts 0 (ImagePullBackOff)");
  }

  @Test
  void anUnschedulablePodSaysSo() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("db-0")
            .endMetadata()
            .withNewStatus()
            .withPhase("Pending")
            .addNewCondition()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason("Unschedulable")
            .withMessage("0/3 nodes are available: 3 Insufficient memory.")
            .endCondition()
            .endStatus()
            .build();

    PodHealth health = PodHealth.of(pod);

    assertThat(health.reasons()).containsExactly("Unschedulable");
    assertThat(health.unschedulableReason())
        .contains("0/3 nodes are available: 3 Insufficient memory.");
  }

  @Test
  void aCompletedPodIsNotUnhealthy() {
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName("migrate-x")
            .endMetadata()
            .withNewStatus()
            .withPhase("Succeeded")
            .addNewContainerStatus()
            .withName("app")
            .withReady(false)
            .withRestartCount(0)
            .withNewState()
            .withNewTerminated()
            .withReason("Completed")
            .withExitCode(0)
            .endTerminated()
            .endState()
            .endContainerStatus()
            .endStatus()
            .build();

    assertThat(PodHealth.of(pod).isUnhealthy()).isFalse();
  }
}
