package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Locks on releases, so that two deployer runs never deploy the same release at once. A lock is a
 * {@code coordination.k8s.io/v1} Lease named {@code deployer.RELEASE} in the release's namespace;
 * its holder renews it while it works and frees it when done. Who takes a free or expired lease is
 * decided by the API server: creates and updates carry the resourceVersion read, so of two runs
 * racing, one gets a conflict (409) and looks again.
 */
public final class ReleaseLocks {

  static final String LEASE_PREFIX = "deployer.";
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  private final KubernetesClient client;
  private final String holderIdentity;
  private final Duration leaseDuration;
  private final Duration waitTimeout;
  private final Duration pollInterval;
  private final Clock clock;

  /**
   * @param holderIdentity who takes the locks, see {@link #holderIdentity(String)}
   * @param leaseDuration how long a lock outlives its last renewal; renewed every third of it
   * @param waitTimeout how long {@link #acquire} waits for another holder to let go
   */
  public ReleaseLocks(
      KubernetesClient client,
      String holderIdentity,
      Duration leaseDuration,
      Duration waitTimeout) {
    this(
        client,
        holderIdentity,
        leaseDuration,
        waitTimeout,
        DEFAULT_POLL_INTERVAL,
        Clock.systemUTC());
  }

  ReleaseLocks(
      KubernetesClient client,
      String holderIdentity,
      Duration leaseDuration,
      Duration waitTimeout,
      Duration pollInterval,
      Clock clock) {
    this.client = Objects.requireNonNull(client, "client");
    if (holderIdentity == null || holderIdentity.isBlank()) {
      throw new IllegalArgumentException("a lock holder identity is required");
    }
    if (leaseDuration.toSeconds() < 1) {
      throw new IllegalArgumentException("a lease lasts at least 1 s, not " + leaseDuration);
    }
    if (waitTimeout.isNegative()) {
      throw new IllegalArgumentException("negative lock wait timeout: " + waitTimeout);
    }
    this.holderIdentity = holderIdentity;
    this.leaseDuration = leaseDuration;
    this.waitTimeout = waitTimeout;
    this.pollInterval = pollInterval;
    this.clock = clock;
  }

  /** {@code HOST/PID/RUN}: enough for a user to find the run that holds a lock. */
  public static String holderIdentity(String runId) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + runId;
  }

  /** The name of the Lease that locks a release. */
  public static String leaseName(String release) {
    return LEASE_PREFIX + release;
  }

  /**
   * Takes the lock of a release, waiting up to the wait timeout while another holder keeps its
   * lease alive. The lock is renewed in the background until closed. The namespace must exist (see
   * {@link Namespaces#ensure}): the Lease lives in it.
   *
   * @throws ReleaseLockedException when another holder still has it after the wait timeout
   * @throws InterruptedException when interrupted while waiting
   * @throws KubernetesClientException when the API server refuses or cannot be reached
   */
  public ReleaseLock acquire(String namespace, String release) throws InterruptedException {
    return acquire(namespace, release, what -> {});
  }

  /**
   * As {@link #acquire(String, String)}; {@code waiting} hears, once, who holds the lock and how
   * long this run will wait for it, when it has to wait.
   */
  public ReleaseLock acquire(
      String namespace, String release, java.util.function.Consumer<String> waiting)
      throws InterruptedException {
    String name = leaseName(release);
    boolean told = false;
    Instant start = clock.instant();
    Instant deadline = start.plus(waitTimeout);
    // A lease whose record stays unchanged for a whole lease duration, as we see it, has expired
    // even if the holder's clock says otherwise.
    String observedVersion = null;
    Instant observedSince = start;
    while (true) {
      Lease lease = leases(namespace).withName(name).get();
      Instant now = clock.instant();
      if (lease == null) {
        Optional<Lease> created = create(namespace, release, now);
        if (created.isPresent()) {
          return started(namespace, release, created.get());
        }
        continue; // someone created it first: look at theirs
      }
      String version = lease.getMetadata().getResourceVersion();
      if (!Objects.equals(version, observedVersion)) {
        observedVersion = version;
        observedSince = now;
      }
      boolean stale = !now.isBefore(observedSince.plus(durationOf(lease)));
      if (isFree(lease, now) || stale) {
        Optional<Lease> taken = takeOver(lease, now);
        if (taken.isPresent()) {
          return started(namespace, release, taken.get());
        }
        continue;
      }
      if (!now.isBefore(deadline)) {
        throw new ReleaseLockedException(
            namespace,
            release,
            lease.getSpec().getHolderIdentity(),
            lastRenewal(lease),
            durationOf(lease),
            Duration.between(start, now));
      }
      Duration remaining = Duration.between(now, deadline);
      if (!told) {
        told = true;
        Duration expires = Duration.between(now, observedSince.plus(durationOf(lease)));
        waiting.accept(
            "the lock, held by "
                + lease.getSpec().getHolderIdentity()
                + " (free in at most "
                + Math.max(0, expires.toSeconds())
                + " s if it stops renewing it), up to "
                + waitTimeout.toSeconds()
                + " s in all (--lock-timeout)");
      }
      Thread.sleep(Math.max(1, min(pollInterval, remaining).toMillis()));
    }
  }

  private ReleaseLock started(String namespace, String release, Lease lease) {
    ReleaseLock lock =
        new ReleaseLock(client, namespace, release, holderIdentity, leaseDuration, clock, lease);
    lock.startRenewing();
    return lock;
  }

  private Optional<Lease> create(String namespace, String release, Instant now) {
    Lease lease =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(leaseName(release))
            .withNamespace(namespace)
            .addToLabels(Namespaces.MANAGED_BY_LABEL, Namespaces.MANAGED_BY_VALUE)
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holderIdentity)
            .withLeaseDurationSeconds((int) leaseDuration.toSeconds())
            .withAcquireTime(time(now))
            .withRenewTime(time(now))
            .withLeaseTransitions(0)
            .endSpec()
            .build();
    try {
      return Optional.of(leases(namespace).resource(lease).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private Optional<Lease> takeOver(Lease lease, Instant now) {
    LeaseSpec spec = lease.getSpec() == null ? new LeaseSpec() : lease.getSpec();
    int transitions = Objects.requireNonNullElse(spec.getLeaseTransitions(), 0);
    spec.setHolderIdentity(holderIdentity);
    spec.setLeaseDurationSeconds((int) leaseDuration.toSeconds());
    spec.setAcquireTime(time(now));
    spec.setRenewTime(time(now));
    spec.setLeaseTransitions(transitions + 1);
    lease.setSpec(spec);
    try {
      // The resourceVersion we read goes with the update: if anyone wrote since, we get 409.
      return Optional.of(leases(lease.getMetadata().getNamespace()).resource(lease).update());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases(String namespace) {
    return client.resources(Lease.class, LeaseList.class).inNamespace(namespace);
  }

  /** Nobody holds it, or its holder stopped renewing it more than a lease duration ago. */
  static boolean isFree(Lease lease, Instant now) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null || spec.getHolderIdentity() == null || spec.getHolderIdentity().isBlank()) {
      return true;
    }
    Optional<Instant> renewed = lastRenewal(lease);
    return renewed.isEmpty() || !now.isBefore(renewed.get().plus(durationOf(lease)));
  }

  static Optional<Instant> lastRenewal(Lease lease) {
    LeaseSpec spec = lease.getSpec();
    if (spec == null) {
      return Optional.empty();
    }
    ZonedDateTime time = spec.getRenewTime() != null ? spec.getRenewTime() : spec.getAcquireTime();
    return Optional.ofNullable(time).map(ZonedDateTime::toInstant);
  }

  static Duration durationOf(Lease lease) {
    Integer seconds = lease.getSpec() == null ? null : lease.getSpec().getLeaseDurationSeconds();
    return Duration.ofSeconds(seconds == null || seconds < 1 ? 1 : seconds);
  }

  static ZonedDateTime time(Instant instant) {
    return instant.atZone(ZoneOffset.UTC);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
