package dev.deployer.core.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.kube.fixture.KubeFixture;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReleaseLocksIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  private static final Duration POLL = Duration.ofMillis(100);

  private ExecutorService pool;

  @BeforeAll
  static void namespace() {
    kube.createNamespace("shop");
  }

  @BeforeEach
  void startPool() {
    pool = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static ReleaseLocks locks(String holder, Duration lease, Duration wait) {
    return new ReleaseLocks(kube.client(), holder, lease, wait, POLL, Clock.systemUTC());
  }

  private static Lease lease(String release) {
    return kube.client()
        .resources(Lease.class)
        .inNamespace("shop")
        .withName(ReleaseLocks.leaseName(release))
        .get();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void acquiresAndFreesTheLease() throws Exception {
    ReleaseLocks locks = locks("host/1/run-a", Duration.ofSeconds(15), Duration.ZERO);

    try (ReleaseLock lock = locks.acquire("shop", "api")) {
      assertThat(lock.isHeld()).isTrue();
      Lease lease = lease("api");
      assertThat(lease.getMetadata().getName()).isEqualTo("deployer.api");
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("host/1/run-a");
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
      assertThat(lease.getSpec().getRenewTime()).isNotNull();
    }
    // Freed by deleting it: a run leaves no Lease behind, and anyone takes the lock at once.
    assertThat(
            kube.client().resources(Lease.class).inNamespace("shop").withName("deployer.api").get())
        .isNull();
    try (ReleaseLock again =
        locks("host/2/run-b", Duration.ofSeconds(15), Duration.ZERO).acquire("shop", "api")) {
      assertThat(again.isHeld()).isTrue();
      assertThat(lease("api").getSpec().getHolderIdentity()).isEqualTo("host/2/run-b");
    }
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void ofTwoRacingRunsOneHoldsTheLockAndTheOtherGetsItAfterRelease() throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    List<Future<ReleaseLock>> attempts = new ArrayList<>();
    for (String holder : List.of("host/1/run-a", "host/2/run-b")) {
      ReleaseLocks locks = locks(holder, Duration.ofSeconds(15), Duration.ofSeconds(30));
      attempts.add(
          pool.submit(
              () -> {
                start.await();
                return locks.acquire("shop", "cart");
              }));
    }

    ReleaseLock first = firstDone(attempts);
    Future<ReleaseLock> other =
        attempts.stream().filter(f -> !f.isDone()).findFirst().orElseThrow();
    assertThat(lease("cart").getSpec().getHolderIdentity()).isEqualTo(first.holderIdentity());
    Thread.sleep(1_000);
    assertThat(other.isDone()).as("the second run waits while the first holds the lock").isFalse();

    first.close();
    try (ReleaseLock second = other.get(10, TimeUnit.SECONDS)) {
      assertThat(second.holderIdentity()).isNotEqualTo(first.holderIdentity());
      assertThat(lease("cart").getSpec().getHolderIdentity()).isEqualTo(second.holderIdentity());
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void givesUpAfterTheWaitTimeoutNamingTheHolder() throws Exception {
    try (ReleaseLock held =
        locks("ci-runner-7/4242/run-a", Duration.ofSeconds(15), Duration.ZERO)
            .acquire("shop", "db")) {
      Instant start = Instant.now();
      assertThatThrownBy(
              () ->
                  locks("laptop/1/run-b", Duration.ofSeconds(15), Duration.ofMillis(700))
                      .acquire("shop", "db"))
          .isInstanceOfSatisfying(
              ReleaseLockedException.class,
              e -> {
                assertThat(e.holder()).isEqualTo("ci-runner-7/4242/run-a");
                assertThat(e.lastRenewed()).isPresent();
                assertThat(e.release()).isEqualTo("db");
              })
          .hasMessageContaining("release db in namespace shop is locked by ci-runner-7/4242/run-a")
          .hasMessageContaining("last renewed 20");
      assertThat(Duration.between(start, Instant.now()))
          .isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void renewsTheLeaseWhileHeld() throws Exception {
    try (ReleaseLock held =
        locks("host/1/run-a", Duration.ofSeconds(2), Duration.ZERO).acquire("shop", "search")) {
      Instant acquired = lease("search").getSpec().getRenewTime().toInstant();
      Thread.sleep(2_500); // longer than a lease duration
      assertThat(lease("search").getSpec().getRenewTime().toInstant()).isAfter(acquired);
      assertThatThrownBy(
              () ->
                  locks("host/2/run-b", Duration.ofSeconds(2), Duration.ZERO)
                      .acquire("shop", "search"))
          .isInstanceOf(ReleaseLockedException.class);
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void takesOverAnExpiredLease() throws Exception {
    writeExpiredLease("worker", "crashed-host/99/run-old");

    try (ReleaseLock lock =
        locks("host/1/run-new", Duration.ofSeconds(15), Duration.ZERO).acquire("shop", "worker")) {
      Lease lease = lease("worker");
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("host/1/run-new");
      assertThat(lease.getSpec().getLeaseTransitions()).isEqualTo(4);
      assertThat(lease.getSpec().getLeaseDurationSeconds()).isEqualTo(15);
      assertThat(lock.isHeld()).isTrue();
    }
  }

  @RepeatedTest(5)
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void ofTwoRunsTakingOverAnExpiredLeaseExactlyOneWins(RepetitionInfo repetition) throws Exception {
    String release = "mailer-" + repetition.getCurrentRepetition();
    writeExpiredLease(release, "crashed-host/99/run-old");
    CyclicBarrier start = new CyclicBarrier(2);
    List<Future<ReleaseLock>> attempts = new ArrayList<>();
    for (String holder : List.of("host/1/run-a", "host/2/run-b")) {
      ReleaseLocks locks = locks(holder, Duration.ofSeconds(15), Duration.ZERO);
      attempts.add(
          pool.submit(
              () -> {
                start.await();
                return locks.acquire("shop", release);
              }));
    }
    List<ReleaseLock> winners = new ArrayList<>();
    List<Throwable> losers = new ArrayList<>();
    for (Future<ReleaseLock> attempt : attempts) {
      try {
        winners.add(attempt.get(10, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        losers.add(e.getCause());
      }
    }
    assertThat(winners).hasSize(1);
    assertThat(losers).singleElement().isInstanceOf(ReleaseLockedException.class);
    assertThat(((ReleaseLockedException) losers.get(0)).holder())
        .isEqualTo(winners.get(0).holderIdentity());
    winners.get(0).close();
  }

  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void notesALockTakenOverAndLeavesTheNewHoldersLeaseOnClose() throws Exception {
    ReleaseLock lock =
        locks("host/1/run-a", Duration.ofSeconds(1), Duration.ZERO).acquire("shop", "payments");
    Lease lease = lease("payments");
    lease.getSpec().setHolderIdentity("other-host/2/run-b");
    kube.client().resources(Lease.class).inNamespace("shop").resource(lease).update();

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lock.isHeld() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(lock.isHeld()).isFalse();
    lock.close();
    assertThat(lease("payments").getSpec().getHolderIdentity()).isEqualTo("other-host/2/run-b");
  }

  /** What the lock relies on: an update carrying an outdated resourceVersion is refused. */
  @Test
  @Timeout(value = 30, unit = TimeUnit.SECONDS)
  void anUpdateFromAnOutdatedReadIsRefusedWithAConflict() {
    writeExpiredLease("stale", "someone");
    Lease first = lease("stale");
    Lease second = lease("stale");
    first.getSpec().setHolderIdentity("a");
    kube.client().resources(Lease.class).inNamespace("shop").resource(first).update();

    second.getSpec().setHolderIdentity("b");
    assertThatThrownBy(
            () ->
                kube.client().resources(Lease.class).inNamespace("shop").resource(second).update())
        .isInstanceOfSatisfying(
            KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    assertThat(lease("stale").getSpec().getHolderIdentity()).isEqualTo("a");
  }

  private static void writeExpiredLease(String release, String holder) {
    var longAgo = Instant.now().minusSeconds(300).atZone(ZoneOffset.UTC);
    kube.client()
        .resources(Lease.class)
        .inNamespace("shop")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(ReleaseLocks.leaseName(release))
                .withNamespace("shop")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds(60)
                .withAcquireTime(longAgo)
                .withRenewTime(longAgo)
                .withLeaseTransitions(3)
                .endSpec()
                .build())
        .create();
  }

  private static ReleaseLock firstDone(List<Future<ReleaseLock>> attempts) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (Future<ReleaseLock> attempt : attempts) {
        if (attempt.isDone()) {
          return attempt.get();
        }
      }
      Thread.sleep(20);
    }
    throw new TimeoutException("neither run got the lock");
  }
}
