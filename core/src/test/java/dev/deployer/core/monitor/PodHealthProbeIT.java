package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.kube.fixture.KubeFixture;
import dev.deployer.core.monitor.PodHealthProbe.WatchedRelease;
import dev.deployer.core.plan.Monitor;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The {@code kubernetes} probe against the kube fixture, the test driving the pods' status. */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class PodHealthProbeIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  private static final AtomicInteger NAMESPACES = new AtomicInteger();
  private static final Duration NO_FLAP_CHECK = Duration.ZERO;

  private final TestClock clock = new TestClock();
  private String ns;

  @BeforeEach
  void namespace() {
    ns = "monitor-" + NAMESPACES.incrementAndGet();
    kube.createNamespace(ns);
  }

  @Test
  void readyPodsWithoutRestartsPass() {
    kube.createReleasePods(ns, "web", 2);
    kube.createReleasePods(ns, "other", 1);

    ProbeResult result = probe(0, true, Duration.ofMinutes(1), "web").probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.success(
                "2 pods of web@"
                    + ns
                    + ": 2 ready, most restarts of a container since the monitor started 0 (max 0)"));
  }

  @Test
  void restartsFromBeforeTheMonitorStartedDoNotCount() {
    kube.createReleasePods(ns, "web", 2);
    kube.setPodRestartCount(ns, "web-0", 3);
    PodHealthProbe probe = probe(1, true, NO_FLAP_CHECK, "web");

    ProbeResult first = probe.probe();
    kube.setPodRestartCount(ns, "web-0", 4);
    ProbeResult second = probe.probe();
    kube.setPodRestartCount(ns, "web-0", 5);
    ProbeResult third = probe.probe();

    assertThat(first.success()).isTrue();
    assertThat(second)
        .isEqualTo(
            ProbeResult.success(
                "2 pods of web@"
                    + ns
                    + ": 2 ready, most restarts of a container since the monitor started 1 (max 1)"));
    assertThat(third)
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-0: container app restarted 2 times since the monitor started (max 1,"
                    + " last Error)"));
  }

  @Test
  void aPodThatAppearsLaterCountsAllItsRestarts() {
    kube.createReleasePods(ns, "web", 1);
    PodHealthProbe probe = probe(0, true, NO_FLAP_CHECK, "web");
    assertThat(probe.probe().success()).isTrue();

    kube.createPod(ns, "web-new", Map.of(KubeFixture.INSTANCE_LABEL, "web"));
    kube.setPodRestartCount(ns, "web-new", 1);

    assertThat(probe.probe())
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-new: container app restarted 1 time since the monitor started (max 0,"
                    + " last Error)"));
  }

  @Test
  void requireReadyFailsOnAPodThatIsNotReady() {
    kube.createReleasePods(ns, "web", 2);
    kube.setPodReady(ns, "web-1", false);

    ProbeResult required = probe(0, true, NO_FLAP_CHECK, "web").probe();
    ProbeResult notRequired = probe(0, false, NO_FLAP_CHECK, "web").probe();

    assertThat(required).isEqualTo(ProbeResult.failure("pod " + ns + "/web-1: not ready"));
    assertThat(notRequired.success()).isTrue();
    assertThat(notRequired.detail()).contains(": 1 ready,");
  }

  @Test
  void catchesTheAppThatIsReadyForAMomentAndThenCrashes() {
    kube.createReleasePods(ns, "web", 1);
    // Lenient on purpose: only the flap check can fail this monitor.
    PodHealthProbe probe = probe(5, false, Duration.ofMinutes(1), "web");

    ProbeResult ready = probe.probe();
    kube.setPodRestartCount(ns, "web-0", 1);
    kube.setPodReady(ns, "web-0", false);
    clock.advance(Duration.ofSeconds(10));
    ProbeResult crashed = probe.probe();
    kube.setPodReady(ns, "web-0", true);
    clock.advance(Duration.ofSeconds(40));
    ProbeResult backUp = probe.probe();
    clock.advance(Duration.ofSeconds(21));
    ProbeResult settled = probe.probe();

    assertThat(ready.success()).isTrue();
    assertThat(crashed)
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-0: readiness flapped 0s ago (was ready, then not ready; flap_window"
                    + " 1m)"));
    assertThat(backUp)
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-0: readiness flapped 40s ago (was ready, then not ready; flap_window"
                    + " 1m)"));
    assertThat(settled.success()).isTrue();
  }

  @Test
  void aCrashBetweenTwoProbesThatBothSeeItReadyIsAFlap() {
    kube.createReleasePods(ns, "web", 1);
    PodHealthProbe probe = probe(5, true, Duration.ofMinutes(1), "web");
    assertThat(probe.probe().success()).isTrue();

    kube.setPodRestartCount(ns, "web-0", 1);

    assertThat(probe.probe())
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-0: readiness flapped 0s ago (was ready, then restarted; flap_window"
                    + " 1m)"));
  }

  @Test
  void aCrashingPodShowsEveryProblemAndItsReasons() {
    kube.createReleasePods(ns, "web", 1);
    PodHealthProbe probe = probe(0, true, Duration.ofMinutes(1), "web");
    assertThat(probe.probe().success()).isTrue();

    kube.setPodRestartCount(ns, "web-0", 2);
    kube.setPodReady(ns, "web-0", false);

    assertThat(probe.probe())
        .isEqualTo(
            ProbeResult.failure(
                "pod "
                    + ns
                    + "/web-0: not ready (last Error), readiness flapped 0s ago (was ready, then"
                    + " not ready; flap_window 1m), container app restarted 2 times since the"
                    + " monitor started (max 0, last Error)"));
  }

  @Test
  void aPodThatBecomesReadyIsStartingNotFlapping() {
    kube.createReleasePods(ns, "web", 1);
    kube.setPodReady(ns, "web-0", false);
    PodHealthProbe probe = probe(0, false, Duration.ofMinutes(1), "web");

    ProbeResult starting = probe.probe();
    kube.setPodReady(ns, "web-0", true);
    ProbeResult started = probe.probe();

    assertThat(starting.success()).isTrue();
    assertThat(started.success()).isTrue();
    assertThat(started.detail()).contains(": 1 ready,");
  }

  @Test
  void watchesEveryReleaseThatReferencesTheMonitor() {
    String other = ns + "-b";
    kube.createNamespace(other);
    kube.createReleasePods(ns, "web", 1);
    kube.createReleasePods(other, "api", 2);
    PodHealthProbe probe =
        new PodHealthProbe(
            new Monitor.KubernetesProbe(0, true, NO_FLAP_CHECK),
            List.of(
                new WatchedRelease(kube.client(), ns, "web"),
                new WatchedRelease(kube.client(), other, "api")),
            clock);
    assertThat(probe.probe().detail()).startsWith("3 pods of web@" + ns + ", api@" + other + ": ");

    kube.setPodReady(other, "api-1", false);

    assertThat(probe.probe()).isEqualTo(ProbeResult.failure("pod " + other + "/api-1: not ready"));
  }

  @Test
  void aReleaseWithoutPodsPassesAndSaysSo() {
    ProbeResult result = probe(0, true, Duration.ofMinutes(1), "config-only").probe();

    assertThat(result)
        .isEqualTo(
            ProbeResult.success(
                "no pods of config-only@"
                    + ns
                    + ": none created (or deleted before the monitor started)"));
  }

  @Test
  void aPodDeletedBetweenTwoProbesIsNamedWithWhyItWentAway() {
    kube.createReleasePods(ns, "migrate", 2);
    kube.client()
        .pods()
        .inNamespace(ns)
        .withName("migrate-0")
        .edit(
            p -> {
              p.getMetadata()
                  .setAnnotations(
                      java.util.Map.of(
                          "helm.sh/hook", "pre-upgrade",
                          "helm.sh/hook-delete-policy", "hook-succeeded"));
              return p;
            });
    PodHealthProbe probe = probe(0, true, NO_FLAP_CHECK, "migrate");
    assertThat(probe.probe().success()).isTrue();

    kube.client().pods().inNamespace(ns).withName("migrate-0").withGracePeriod(0).delete();
    kube.client().pods().inNamespace(ns).withName("migrate-1").withGracePeriod(0).delete();
    for (int i = 0;
        i < 200 && !kube.client().pods().inNamespace(ns).list().getItems().isEmpty();
        i++) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    assertThat(probe.probe())
        .isEqualTo(
            ProbeResult.success(
                "no pods of migrate@"
                    + ns
                    + ": every pod seen before was deleted; gone since the last probe: pod "
                    + ns
                    + "/migrate-0 deleted by its hook policy (hook-succeeded), pod "
                    + ns
                    + "/migrate-1 deleted"));
  }

  @Test
  void anUnreachableApiServerIsAnErrorInsteadOfAnException() throws IOException {
    int closedPort = LoopbackPorts.free();
    try (KubernetesClient unreachable =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder()
                    .withMasterUrl("http://127.0.0.1:" + closedPort)
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build()) {
      PodHealthProbe probe =
          new PodHealthProbe(
              new Monitor.KubernetesProbe(0, true, NO_FLAP_CHECK),
              List.of(new WatchedRelease(unreachable, ns, "web")),
              clock);

      ProbeResult result = probe.probe();

      assertThat(result.error()).isTrue();
      assertThat(result.detail())
          .startsWith("cannot list the pods of web@" + ns + ": ")
          .doesNotContainPattern("[a-z]+\\.[a-z]+\\.[A-Za-z.]*Exception");
    }
  }

  @Test
  void needsAReleaseToWatch() {
    assertThatThrownBy(
            () ->
                new PodHealthProbe(new Monitor.KubernetesProbe(0, true, NO_FLAP_CHECK), List.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessage("the kubernetes monitor has no release to watch");
  }

  private PodHealthProbe probe(
      int maxRestarts, boolean requireReady, Duration flapWindow, String release) {
    return new PodHealthProbe(
        new Monitor.KubernetesProbe(maxRestarts, requireReady, flapWindow),
        List.of(new WatchedRelease(kube.client(), ns, release)),
        clock);
  }

  /** A clock the test moves by hand. */
  private static final class TestClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
