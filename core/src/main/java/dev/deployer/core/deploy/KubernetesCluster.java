package dev.deployer.core.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.build.LiveReleases;
import dev.deployer.core.helm.ReleaseRecord;
import dev.deployer.core.helm.ReleaseRollback;
import dev.deployer.core.helm.ReleaseStore;
import dev.deployer.core.kube.Clusters;
import dev.deployer.core.kube.Namespaces;
import dev.deployer.core.kube.ReleaseDiagnostics;
import dev.deployer.core.kube.ReleaseLocks;
import dev.deployer.core.plan.Release;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The clusters of a kubeconfig, through fabric8 and Helm's release records: what {@code up}, {@code
 * down}, {@code rollback} and {@code build --diff-mode live} need.
 */
public final class KubernetesCluster implements Cluster, LiveReleases, AutoCloseable {
  private static final Duration LEASE_DURATION = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Clusters clusters;
  private final Optional<String> defaultContext;
  private final String holder = ReleaseLocks.holderIdentity(UUID.randomUUID().toString());

  KubernetesCluster(Clusters clusters, Optional<String> defaultContext) {
    this.clusters = clusters;
    this.defaultContext = defaultContext;
  }

  /**
   * The clusters of the kubeconfig named by {@code KUBECONFIG} (or {@code ~/.kube/config}) in
   * {@code environment}; releases without a context use {@code defaultContext}, else the
   * kubeconfig's current context.
   */
  public static KubernetesCluster create(
      Map<String, String> environment, Optional<String> defaultContext) {
    return new KubernetesCluster(Clusters.fromEnvironment(environment), defaultContext);
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
  public AutoCloseable lock(Release release, Duration timeout) {
    try {
      return new ReleaseLocks(client(release), holder, LEASE_DURATION, timeout)
          .acquire(release.namespace(), release.name());
    } catch (dev.deployer.core.kube.ReleaseLockedException e) {
      throw new LockHeldException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LockHeldException(
          "interrupted while waiting for the lock of " + release.uniqueName());
    }
  }

  @Override
  public Optional<LiveRevision> latest(Release release) {
    return new ReleaseStore(client(release))
        .latest(release.namespace(), release.name())
        .map(KubernetesCluster::live);
  }

  private static LiveRevision live(ReleaseRecord r) {
    return new LiveRevision(
        r.version(),
        r.status(),
        r.chartName(),
        r.chartVersion(),
        r.appVersion(),
        r.lastDeployed().map(Object::toString).orElse(""),
        r.description(),
        withHooks(r));
  }

  /** Helm keeps hooks apart from the manifest; a rendered plan has them in it. */
  private static String withHooks(ReleaseRecord r) {
    StringBuilder sb = new StringBuilder(r.manifest());
    try {
      JsonNode hooks = JSON.readTree(r.json()).path("hooks");
      for (JsonNode hook : hooks) {
        sb.append("\n---\n# Source: ")
            .append(hook.path("path").asText())
            .append('\n')
            .append(hook.path("manifest").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  @Override
  public Optional<Live> live(Release release) {
    return latest(release)
        .map(l -> new Live(l.revision(), l.manifest(), Optional.of(l.chartVersion())));
  }

  @Override
  public void prune(Release release, int maxHistory) {
    new ReleaseStore(client(release)).prune(release.namespace(), release.name(), maxHistory);
  }

  @Override
  public int rollback(Release release, Optional<Integer> revision) {
    return new ReleaseRollback(client(release))
        .rollback(release.namespace(), release.name(), revision.orElse(0))
        .version();
  }

  @Override
  public Optional<Integer> resolvePendingByRollback(Release release) {
    return new ReleaseRollback(client(release))
        .resolvePendingByRollback(release.namespace(), release.name())
        .map(ReleaseRecord::version);
  }

  @Override
  public Optional<String> waitForJobs(Release release, String manifest, Duration timeout) {
    java.util.List<String> jobs = new java.util.ArrayList<>();
    for (var resource : dev.deployer.core.diff.Manifests.parse(manifest, release.namespace())) {
      Object metadata = resource.content().get("metadata");
      boolean hook =
          metadata instanceof Map<?, ?> m
              && m.get("annotations") instanceof Map<?, ?> a
              && a.containsKey("helm.sh/hook");
      if (resource.kind().equals("Job") && !hook) {
        jobs.add(resource.name());
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    java.util.Set<String> waiting = new java.util.LinkedHashSet<>(jobs);
    var client = client(release);
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        var job =
            client.batch().v1().jobs().inNamespace(release.namespace()).withName(it.next()).get();
        if (job == null || job.getStatus() == null || job.getStatus().getConditions() == null) {
          continue;
        }
        for (var condition : job.getStatus().getConditions()) {
          if ("True".equals(condition.getStatus()) && "Failed".equals(condition.getType())) {
            return Optional.of(
                "Job "
                    + release.namespace()
                    + "/"
                    + job.getMetadata().getName()
                    + " failed: "
                    + java.util.Objects.requireNonNullElse(
                        condition.getMessage(), condition.getReason()));
          }
          if ("True".equals(condition.getStatus()) && "Complete".equals(condition.getType())) {
            it.remove();
          }
        }
      }
      if (waiting.isEmpty()) {
        break;
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(
            "Jobs not complete after "
                + dev.deployer.core.plan.GoDuration.format(timeout)
                + ": "
                + String.join(", ", waiting));
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of("interrupted while waiting for Jobs " + String.join(", ", waiting));
      }
    }
    return Optional.empty();
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
