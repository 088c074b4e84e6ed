package dev.deployer.core.deploy;

import dev.deployer.core.builder.LiveReleases;
import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.helm.UninstallRequest;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.kube.Clusters;
import dev.deployer.core.kube.Namespaces;
import dev.deployer.core.kube.ReleaseDiagnostics;
import dev.deployer.core.kube.ReleaseLocks;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.WaitStrategy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The clusters of a kubeconfig, through fabric8 and the Helm engine: what {@code up}, {@code down},
 * {@code rollback} and {@code build --diff-mode live} need.
 *
 * <p>This class only composes: every call to the Kubernetes API is made by a helper in {@code kube}
 * (clients, namespaces, locks, restarts, diagnosis, reachability) and every Helm operation by the
 * engine. It stays in {@code deploy}, beside the {@link Cluster} it implements, because {@code
 * kube} sits below {@code deploy} and {@code build} and must not depend on them.
 */
public final class KubernetesCluster implements Cluster, LiveReleases, AutoCloseable {
  private static final Duration LEASE_DURATION = Duration.ofSeconds(30);

  private final Clusters clusters;
  private final Optional<String> defaultContext;
  private final HelmEngine engine;
  private final String holder = ReleaseLocks.holderIdentity(UUID.randomUUID().toString());

  KubernetesCluster(Clusters clusters, Optional<String> defaultContext, HelmEngine engine) {
    this.clusters = clusters;
    this.defaultContext = defaultContext;
    this.engine = engine;
  }

  /**
   * The clusters of the kubeconfig named by {@code KUBECONFIG} (or {@code ~/.kube/config}) in
   * {@code environment}; releases without a context use {@code defaultContext}, else the
   * kubeconfig's current context.
   */
  public static KubernetesCluster create(
      Map<String, String> environment, Optional<String> defaultContext, HelmEngine engine) {
    return new KubernetesCluster(Clusters.fromEnvironment(environment), defaultContext, engine);
  }

  /** As {@link #create(Map, Optional, HelmEngine)}, with the process's Helm engine. */
  public static KubernetesCluster create(
      Map<String, String> environment, Optional<String> defaultContext) {
    return create(environment, defaultContext, NativeHelmEngine.shared());
  }

  private Optional<String> context(Release release) {
    return release.context().or(() -> defaultContext);
  }

  /** The kubeconfig's clusters, one client per context. */
  public Clusters clusters() {
    return clusters;
  }

  /** The client of the release's kube context. */
  public KubernetesClient client(Release release) {
    return clusters.client(context(release));
  }

  @Override
  public String kubeconfig(Release release) {
    return clusters.kubeconfigContents(context(release));
  }

  @Override
  public void ensureNamespace(Release release) {
    Namespaces.ensure(client(release), release.namespace());
  }

  @Override
  public Lock lock(Release release, Duration timeout) {
    return lock(release, timeout, what -> {});
  }

  @Override
  public Lock lock(Release release, Duration timeout, java.util.function.Consumer<String> waiting) {
    try {
      dev.deployer.core.kube.ReleaseLock lock =
          new ReleaseLocks(client(release), holder, LEASE_DURATION, timeout)
              .acquire(release.namespace(), release.name(), waiting);
      return new Lock() {
        @Override
        public void onLost(java.util.function.Consumer<String> listener) {
          lock.onLost(listener);
        }

        @Override
        public void close() {
          lock.close();
        }
      };
    } catch (dev.deployer.core.kube.ReleaseLockedException e) {
      throw new LockHeldException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockHeldException(
          "interrupted while waiting for the lock of " + release.uniqueName());
    }
  }

  /** The release as the engine addresses it: the kubeconfig of its context, in memory. */
  private ReleaseRef ref(Release release) {
    return new ReleaseRef(kubeconfig(release), release.namespace(), release.name());
  }

  @Override
  public List<ReleaseRevision> history(Release release) {
    return engine.history(ref(release));
  }

  @Override
  public ReleaseRevision upgrade(UpgradeRequest request, Operation operation) {
    return engine.upgrade(request, operation);
  }

  @Override
  public UpgradePlan planUpgrade(UpgradeRequest request, Operation operation) {
    return engine.planUpgrade(request, operation);
  }

  @Override
  public Optional<ReleaseRevision> latest(Release release) {
    List<ReleaseRevision> history = history(release);
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  @Override
  public int rollbackTarget(Release release, Optional<Integer> revision) {
    return revision.orElseGet(() -> lastGoodBeforeLatest(release));
  }

  @Override
  public int rollback(Release release, Optional<Integer> revision, Operation operation) {
    int target = rollbackTarget(release, revision);
    RollbackRequest request = new RollbackRequest(ref(release), target, release.deployment());
    return engine.rollback(request, operation).revision();
  }

  /**
   * The newest revision before the latest that was deployed successfully: never a failed one, as
   * {@code helm rollback} without a revision would pick when the previous upgrade failed.
   */
  private int lastGoodBeforeLatest(Release release) {
    List<ReleaseRevision> history = history(release);
    if (history.isEmpty()) {
      throw new dev.deployer.core.helm.HelmOperationException("release: not found");
    }
    int latest = history.get(history.size() - 1).revision();
    return history.stream()
        .filter(r -> r.revision() < latest && r.wasDeployed())
        .reduce((older, newer) -> newer)
        .map(ReleaseRevision::revision)
        .orElseThrow(
            () ->
                new dev.deployer.core.helm.HelmOperationException(
                    "no revision before "
                        + latest
                        + " was deployed successfully: nothing to roll back to"));
  }

  @Override
  public Optional<Integer> resolvePendingByRollback(Release release, Operation operation) {
    List<ReleaseRevision> history = engine.history(ref(release));
    for (ReleaseRevision r : history) {
      if (r.isPending()) {
        engine.markFailed(
            ref(release),
            r.revision(),
            "deployer: was " + r.status() + ", left by a run that did not finish");
      }
    }
    Optional<ReleaseRevision> target =
        history.stream().filter(ReleaseRevision::wasDeployed).reduce((older, newer) -> newer);
    if (target.isEmpty()) {
      engine.uninstall(
          UninstallRequest.of(ref(release), release.deployment().timeout()), operation);
      return Optional.empty();
    }
    return Optional.of(rollback(release, Optional.of(target.get().revision()), operation));
  }

  @Override
  public boolean uninstall(Release release, Operation operation) {
    Release.Deployment d = release.deployment();
    return engine.uninstall(
        new UninstallRequest(
            ref(release),
            WaitStrategy.HOOK_ONLY,
            d.timeout(),
            false,
            d.disableHooks(),
            d.deletePropagation(),
            ""),
        operation);
  }

  @Override
  public List<String> restartWorkloads(Release release, String manifest) {
    return dev.deployer.core.kube.RolloutRestart.restart(
        client(release), manifest, release.namespace(), java.time.Instant.now());
  }

  @Override
  public Optional<String> unreachable(Release release) {
    KubernetesClient client;
    try {
      client = client(release);
    } catch (RuntimeException e) {
      return Optional.of(
          dev.deployer.core.kube.Unreachable.cause(e)
              .orElseGet(() -> String.valueOf(e.getMessage())));
    }
    return dev.deployer.core.kube.Unreachable.check(client);
  }

  @Override
  public String diagnose(Release release, String manifest) {
    try {
      return new ReleaseDiagnostics(client(release))
          .diagnose(manifest, release.namespace())
          .summary();
    } catch (RuntimeException e) {
      return "";
    }
  }

  @Override
  public void close() {
    clusters.close();
  }
}
