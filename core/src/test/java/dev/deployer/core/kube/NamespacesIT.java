package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.kube.fixture.KubeFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class NamespacesIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void createsAMissingNamespaceWithTheManagedByLabel() {
    assertThat(Namespaces.ensure(kube.client(), "fresh")).isTrue();

    var namespace = kube.client().namespaces().withName("fresh").get();
    assertThat(namespace.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "deployer");
    assertThat(Namespaces.ensure(kube.client(), "fresh")).isFalse();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void leavesAnExistingNamespaceAlone() {
    kube.createNamespace("existing");

    assertThat(Namespaces.ensure(kube.client(), "existing")).isFalse();
    assertThat(kube.client().namespaces().withName("existing").get().getMetadata().getLabels())
        .doesNotContainKey("app.kubernetes.io/managed-by");
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void threadsRacingToCreateTheSameNamespaceAllSucceedAndOneCreatesIt() throws Exception {
    int threads = 6;
    CyclicBarrier start = new CyclicBarrier(threads);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return Namespaces.ensure(kube.client(), "raced");
                }));
      }
      List<Boolean> created = new ArrayList<>();
      for (Future<Boolean> result : results) {
        created.add(result.get(20, TimeUnit.SECONDS));
      }
      assertThat(created).containsOnlyOnce(true);
      assertThat(kube.client().namespaces().withName("raced").get()).isNotNull();
    } finally {
      pool.shutdownNow();
    }
  }
}
