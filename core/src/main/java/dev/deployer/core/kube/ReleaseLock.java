package dev.deployer.core.kube;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A held lock on one release, from {@link ReleaseLocks#acquire}. A background thread renews the
 * lease every third of its duration; {@link #close()} stops renewing and frees the lease so that a
 * waiting run takes it at once.
 */
public final class ReleaseLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseLock.class);

  private final KubernetesClient client;
  private final String namespace;
  private final String release;
  private final String holderIdentity;
  private final Duration leaseDuration;
  private final Clock clock;
  private final ScheduledExecutorService renewer;
  private Lease lease;
  private volatile boolean held = true;
  private Instant lastRenewed;
  private String lost;
  private final java.util.List<java.util.function.Consumer<String>> lostListeners =
      new java.util.ArrayList<>();

  ReleaseLock(
      KubernetesClient client,
      String namespace,
      String release,
      String holderIdentity,
      Duration leaseDuration,
      Clock clock,
      Lease lease) {
    this.client = client;
    this.namespace = namespace;
    this.release = release;
    this.holderIdentity = holderIdentity;
    this.leaseDuration = leaseDuration;
    this.clock = clock;
    this.lease = lease;
    this.lastRenewed = clock.instant();
    this.renewer =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "deployer-lock-" + namespace + "-" + release);
              thread.setDaemon(true);
              return thread;
            });
  }

  void startRenewing() {
    long period = Math.max(100, leaseDuration.toMillis() / 3);
    renewer.scheduleWithFixedDelay(this::renew, period, period, TimeUnit.MILLISECONDS);
  }

  public String namespace() {
    return namespace;
  }

  public String release() {
    return release;
  }

  public String holderIdentity() {
    return holderIdentity;
  }

  /**
   * Whether this run still holds the lock: false once closed, or when another holder took the lease
   * over because renewals failed for longer than its duration.
   */
  public boolean isHeld() {
    return held;
  }

  /**
   * Calls {@code listener} with the reason once the lock is lost (at once when it is lost already):
   * another holder took the lease, or it could not be renewed for a whole lease duration, after
   * which another run may take it.
   */
  public void onLost(java.util.function.Consumer<String> listener) {
    String reason;
    synchronized (this) {
      if (lost == null) {
        lostListeners.add(listener);
        return;
      }
      reason = lost;
    }
    listener.accept(reason);
  }

  private void renew() {
    String reason = null;
    java.util.List<java.util.function.Consumer<String>> toCall;
    synchronized (this) {
      if (!held) {
        return;
      }
      try {
        Lease current = leases().withName(lease.getMetadata().getName()).get();
        if (current == null || !holderIdentity.equals(current.getSpec().getHolderIdentity())) {
          reason =
              "the lease is now held by "
                  + (current == null ? "nobody (deleted)" : current.getSpec().getHolderIdentity());
        } else {
          current.getSpec().setRenewTime(ReleaseLocks.time(clock.instant()));
          lease = leases().resource(current).update();
          lastRenewed = clock.instant();
        }
      } catch (KubernetesClientException e) {
        // The next renewal tries again; only a lease duration without one loses the lock.
        LOG.warn(
            "cannot renew the lock of release {} in namespace {}: {}",
            release,
            namespace,
            e.getMessage());
        if (!clock.instant().isBefore(lastRenewed.plus(leaseDuration))) {
          reason =
              "it could not be renewed for "
                  + leaseDuration.toSeconds()
                  + " s, so another run may hold it: "
                  + e.getMessage();
        }
      }
      if (reason == null) {
        return;
      }
      held = false;
      lost = reason;
      renewer.shutdown();
      toCall = java.util.List.copyOf(lostListeners);
    }
    LOG.warn("lost the lock of release {} in namespace {}: {}", release, namespace, reason);
    for (var listener : toCall) {
      listener.accept(reason);
    }
  }

  /**
   * Stops renewing and deletes the lease, unless another holder has taken it meanwhile: a run
   * leaves no Lease behind.
   */
  @Override
  public void close() {
    renewer.shutdown();
    try {
      if (!renewer.awaitTermination(Clusters.REQUEST_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        renewer.shutdownNow();
      }
    } catch (InterruptedException e) {
      renewer.shutdownNow();
      Thread.currentThread().interrupt();
    }
    synchronized (this) {
      if (!held) {
        return;
      }
      held = false;
      free();
    }
  }

  private void free() {
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        Lease current = leases().withName(lease.getMetadata().getName()).get();
        if (current == null || !holderIdentity.equals(current.getSpec().getHolderIdentity())) {
          return;
        }
        // Deleted, not left behind: only if it is still the version this run last saw as its own.
        leases()
            .withName(current.getMetadata().getName())
            .lockResourceVersion(current.getMetadata().getResourceVersion())
            .delete();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 2) {
          // Not fatal: the lease expires on its own a lease duration after the last renewal.
          LOG.warn(
              "cannot free the lock of release {} in namespace {} (it expires in {} s): {}",
              release,
              namespace,
              leaseDuration.toSeconds(),
              e.getMessage());
          return;
        }
      }
    }
  }

  private NonNamespaceOperation<Lease, LeaseList, Resource<Lease>> leases() {
    return client.resources(Lease.class, LeaseList.class).inNamespace(namespace);
  }
}
