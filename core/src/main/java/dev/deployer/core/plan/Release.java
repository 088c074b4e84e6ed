package dev.deployer.core.plan;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Helm release of a plan. Its unique name is {@code name@namespace}, with {@code @context}
 * appended when a kube context is set.
 */
public record Release(
    String name,
    String namespace,
    Optional<String> context,
    Chart chart,
    List<ValuesFile> values,
    List<String> tags,
    List<Dependency> dependsOn,
    List<MonitorRef> monitors,
    Deployment deployment,
    Optional<String> offlineKubeVersion,
    Optional<String> description,
    Map<String, Object> store,
    Lifecycle lifecycle,
    Location location) {

  public Release {
    values = List.copyOf(values);
    tags = List.copyOf(tags);
    dependsOn = List.copyOf(dependsOn);
    monitors = List.copyOf(monitors);
    store = Map.copyOf(store);
  }

  /**
   * A release of this chart with no values, tags, dependencies or monitors, Helm's and helmwave's
   * deploy defaults ({@link Deployment#DEFAULTS}), no store and no lifecycle hooks; change the rest
   * with the {@code with} methods.
   */
  public static Release of(
      String name, String namespace, Optional<String> context, Chart chart, Location location) {
    return new Release(
        name,
        namespace,
        context,
        chart,
        List.of(),
        List.of(),
        List.of(),
        List.of(),
        Deployment.DEFAULTS,
        Optional.empty(),
        Optional.empty(),
        Map.of(),
        Lifecycle.NONE,
        location);
  }

  /**
   * A release known only by name, for commands that act on one deployed release rather than on a
   * plan ({@code deployer monitor}); every other field has its default.
   */
  public static Release named(String name, String namespace, Optional<String> context) {
    Location nowhere = Location.of(java.nio.file.Path.of(name + "@" + namespace));
    return of(name, namespace, context, Chart.local("", nowhere), nowhere);
  }

  public Release withValues(List<ValuesFile> values) {
    return Records.with(this, "values", values);
  }

  public Release withTags(List<String> tags) {
    return Records.with(this, "tags", tags);
  }

  public Release withDependsOn(List<Dependency> dependsOn) {
    return Records.with(this, "dependsOn", dependsOn);
  }

  public Release withMonitors(List<MonitorRef> monitors) {
    return Records.with(this, "monitors", monitors);
  }

  public Release withDeployment(Deployment deployment) {
    return Records.with(this, "deployment", deployment);
  }

  public Release withOfflineKubeVersion(Optional<String> offlineKubeVersion) {
    return Records.with(this, "offlineKubeVersion", offlineKubeVersion);
  }

  public Release withDescription(Optional<String> description) {
    return Records.with(this, "description", description);
  }

  public Release withStore(Map<String, Object> store) {
    return Records.with(this, "store", store);
  }

  public Release withLifecycle(Lifecycle lifecycle) {
    return Records.with(this, "lifecycle", lifecycle);
  }

  /** {@code name@namespace}, or {@code name@namespace@context} when a context is set. */
  public String uniqueName() {
    return name + "@" + namespace + context.map(c -> "@" + c).orElse("");
  }

  /**
   * Whether a user naming a release ({@code RELEASE}, {@code --restart}) means this one: by its
   * {@code name} or its {@code name@namespace}.
   */
  public boolean isNamed(String given) {
    return name.equals(given) || uniqueName().equals(given);
  }

  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /**
   * How Helm installs and upgrades the release. Fields not acted on yet are kept so that helmwave
   * plans load unchanged.
   */
  public record Deployment(
      WaitStrategy waitStrategy,
      boolean waitForJobs,
      Duration timeout,
      boolean atomic,
      boolean createNamespace,
      int maxHistory,
      PendingReleaseStrategy pendingReleaseStrategy,
      boolean allowFailure,
      boolean cleanupOnFail,
      boolean disableHooks,
      boolean disableOpenApiValidation,
      boolean force,
      boolean recreate,
      boolean resetValues,
      boolean reuseValues,
      boolean skipCrds,
      boolean enableDns,
      boolean showNotes,
      boolean subNotes,
      List<String> postRenderer,
      Optional<String> deletePropagation,
      boolean rolloutRestart) {

    public Deployment {
      postRenderer = List.copyOf(postRenderer);
    }

    public Deployment withWaitStrategy(WaitStrategy waitStrategy) {
      return Records.with(this, "waitStrategy", waitStrategy);
    }

    public Deployment withTimeout(Duration timeout) {
      return Records.with(this, "timeout", timeout);
    }

    public Deployment withAtomic(boolean atomic) {
      return Records.with(this, "atomic", atomic);
    }

    /**
     * How Helm is asked to wait: the plan's {@code wait}, except that {@code wait_for_jobs} alone
     * means the watcher, since Helm waits for Jobs only while it waits for resources.
     */
    public WaitStrategy helmWait() {
      return waitForJobs && !waitStrategy.waitsForResources() ? WaitStrategy.WATCHER : waitStrategy;
    }

    /** Helm's own defaults, and helmwave's. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public static final int DEFAULT_MAX_HISTORY = 10;

    /**
     * What a release that sets no deploy option gets: Helm waits for hooks only, for {@link
     * #DEFAULT_TIMEOUT}, keeps {@link #DEFAULT_MAX_HISTORY} revisions, a pending release fails the
     * deploy, and every flag is off.
     */
    public static final Deployment DEFAULTS =
        new Deployment(
            WaitStrategy.HOOK_ONLY,
            false,
            DEFAULT_TIMEOUT,
            false,
            false,
            DEFAULT_MAX_HISTORY,
            PendingReleaseStrategy.FAIL,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            List.of(),
            Optional.empty(),
            false);
  }

  /** What to do with a release found in {@code pending-install/upgrade/rollback}. */
  public enum PendingReleaseStrategy {
    FAIL,
    ROLLBACK,
    UNINSTALL,
    /** Another client (a {@code helm} without deployer's Lease) is working on it: wait for it. */
    WAIT;

    public String yamlName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
