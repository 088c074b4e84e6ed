package dev.deployer.core.fake;

import dev.deployer.core.deploy.Cluster;
import dev.deployer.core.deploy.LockHeldException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRef;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.RollbackRequest;
import dev.deployer.core.helm.UninstallRequest;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A cluster in memory, for tests of deploy policy: Helm's records are a {@link FakeEngine}'s, as
 * the real cluster's are its engine's; release locks, namespaces and diagnoses are kept here. The
 * Helm verbs (upgrade, rollback, marking a pending revision failed, uninstall) pass the request
 * they are given to the engine, as {@code KubernetesCluster} does: which revision a rollback goes
 * to and how a pending release is recovered are decided by production's {@code Rollback} and {@link
 * dev.deployer.core.deploy.RevisionPolicy}, never here. The engine's calls are recorded in {@link
 * FakeEngine#calls()}, in order with the cluster's own ({@code namespace app}, {@code restart
 * a@app}).
 *
 * <p>A lock another run holds ({@link #holdLock}) is refused at once, whatever the timeout; this
 * run's locks can be taken away with {@link #loseLock}. Restarting workloads restarts nothing and
 * says so.
 */
public final class FakeCluster implements Cluster {
  private final FakeEngine engine;
  private final Set<String> namespaces = new TreeSet<>();
  private final Map<String, String> heldByOthers = new HashMap<>();
  private final Map<String, List<Consumer<String>>> ourLocks = new HashMap<>();
  private final Map<String, String> diagnoses = new HashMap<>();

  public FakeCluster(FakeEngine engine) {
    this.engine = engine;
  }

  /** A cluster with an engine of its own. */
  public FakeCluster() {
    this(new FakeEngine());
  }

  public FakeEngine engine() {
    return engine;
  }

  // --- scripting and reading -------------------------------------------------------------------

  /** Another run holds the release's lock: taking it fails, naming {@code holder}. */
  public synchronized FakeCluster holdLock(String release, String holder) {
    heldByOthers.put(release, holder);
    return this;
  }

  /** Takes this run's lock of the release away, as when another run takes over its lease. */
  public void loseLock(String release, String why) {
    List<Consumer<String>> listeners;
    synchronized (this) {
      listeners = List.copyOf(ourLocks.getOrDefault(release, List.of()));
    }
    listeners.forEach(l -> l.accept(why));
  }

  /** What {@link #diagnose} says of the release's resources after a failure. */
  public synchronized FakeCluster diagnosis(String release, String text) {
    diagnoses.put(release, text);
    return this;
  }

  /** The namespaces created, sorted. */
  public synchronized Set<String> namespaces() {
    return Set.copyOf(namespaces);
  }

  /** The releases whose lock this run holds now: none once a command has returned. */
  public synchronized Set<String> heldLocks() {
    return Set.copyOf(ourLocks.keySet());
  }

  // --- Cluster ---------------------------------------------------------------------------------

  @Override
  public String kubeconfig(Release release) {
    return "# fake kubeconfig, context " + release.context().orElse("(current)") + "\n";
  }

  @Override
  public synchronized void ensureNamespace(Release release) {
    if (namespaces.add(release.namespace())) {
      engine.record("namespace " + release.namespace());
    }
  }

  @Override
  public synchronized Lock lock(Release release, Duration timeout) {
    String name = release.uniqueName();
    String holder = heldByOthers.get(name);
    if (holder != null) {
      throw new LockHeldException(
          "the lock of " + name + " is held by " + holder + " (waited " + timeout + ")");
    }
    if (ourLocks.containsKey(name)) {
      throw new IllegalStateException("this run already holds the lock of " + name);
    }
    List<Consumer<String>> listeners = new ArrayList<>();
    ourLocks.put(name, listeners);
    return new Lock() {
      @Override
      public void onLost(Consumer<String> listener) {
        synchronized (FakeCluster.this) {
          listeners.add(listener);
        }
      }

      @Override
      public void close() {
        synchronized (FakeCluster.this) {
          ourLocks.remove(name, listeners);
        }
      }
    };
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
  public ReleaseRevision rollback(RollbackRequest request, Operation operation) {
    return engine.rollback(request, operation);
  }

  @Override
  public void markFailed(ReleaseRef release, int revision, String description) {
    engine.markFailed(release, revision, description);
  }

  @Override
  public boolean uninstall(UninstallRequest request, Operation operation) {
    return engine.uninstall(request, operation);
  }

  @Override
  public List<String> restartWorkloads(Release release, String manifest) {
    engine.record("restart " + release.uniqueName());
    return List.of();
  }

  @Override
  public synchronized String diagnose(Release release, String manifest) {
    return diagnoses.getOrDefault(release.uniqueName(), "");
  }

  private ReleaseRef ref(Release release) {
    return new ReleaseRef(kubeconfig(release), release.namespace(), release.name());
  }
}
