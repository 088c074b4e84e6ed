package dev.deployer.core.kube;

import dev.deployer.core.diff.Manifests;
import dev.deployer.core.diff.Resource;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out why a release is not ready, for the report of a failed release: which of its
 * Deployments, StatefulSets and DaemonSets have fewer ready replicas than they want and which of
 * its Jobs failed, what their pods are doing (restarts, {@code CrashLoopBackOff}, {@code
 * ImagePullBackOff}, {@code OOMKilled}) and the last Warning events about them.
 *
 * <p>Best effort: what cannot be read (no permission to list events, say) is left out rather than
 * failing the report it serves.
 */
public final class ReleaseDiagnostics {
  private static final Logger LOG = LoggerFactory.getLogger(ReleaseDiagnostics.class);

  /** Warning events kept per unready workload (its own, its ReplicaSets' and its pods'). */
  static final int EVENTS_PER_RESOURCE = 5;

  /** Unhealthy pods per workload whose events are read: enough to tell, few requests. */
  static final int PODS_WITH_EVENTS = 3;

  private final KubernetesClient client;

  public ReleaseDiagnostics(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /**
   * The workloads of a release manifest that are not ready in the cluster now.
   *
   * @param manifest the release's rendered manifest (as Helm stores it)
   * @param namespace the release namespace, for objects that name none
   */
  public ReleaseDiagnosis diagnose(String manifest, String namespace) {
    List<UnreadyResource> unready = new ArrayList<>();
    for (Resource resource : Manifests.parse(manifest, namespace)) {
      try {
        inspect(resource).ifPresent(unready::add);
      } catch (KubernetesClientException e) {
        LOG.debug("cannot inspect {}: {}", resource.key(), e.getMessage());
        unready.add(
            new UnreadyResource(
                resource.kind(),
                resource.namespace(),
                resource.name(),
                "unknown (cannot read it: " + e.getMessage() + ")",
                List.of(),
                List.of()));
      }
    }
    return new ReleaseDiagnosis(unready);
  }

  private Optional<UnreadyResource> inspect(Resource resource) {
    return switch (resource.kind()) {
      case "Deployment" -> deployment(resource.namespace(), resource.name());
      case "StatefulSet" -> statefulSet(resource.namespace(), resource.name());
      case "DaemonSet" -> daemonSet(resource.namespace(), resource.name());
      case "Job" -> job(resource.namespace(), resource.name());
      case "PersistentVolumeClaim" -> claim(resource.namespace(), resource.name());
      case "Service" -> service(resource.namespace(), resource.name());
      default -> Optional.empty();
    };
  }

  private Optional<UnreadyResource> deployment(String namespace, String name) {
    Deployment deployment = client.apps().deployments().inNamespace(namespace).withName(name).get();
    if (deployment == null) {
      return Optional.of(missing("Deployment", namespace, name));
    }
    int desired = Objects.requireNonNullElse(deployment.getSpec().getReplicas(), 1);
    var status = deployment.getStatus();
    int ready = status == null ? 0 : Objects.requireNonNullElse(status.getReadyReplicas(), 0);
    int updated = status == null ? 0 : Objects.requireNonNullElse(status.getUpdatedReplicas(), 0);
    int available =
        status == null ? 0 : Objects.requireNonNullElse(status.getAvailableReplicas(), 0);
    if (ready >= desired && updated >= desired && available >= desired) {
      return Optional.empty();
    }
    StringBuilder state = new StringBuilder(ready + "/" + desired + " ready");
    if (updated < desired) {
      state.append(", ").append(updated).append("/").append(desired).append(" updated");
    }
    List<DeploymentCondition> conditions =
        status == null || status.getConditions() == null ? List.of() : status.getConditions();
    conditions.stream()
        .filter(c -> "Progressing".equals(c.getType()) && "False".equals(c.getStatus()))
        .findFirst()
        .ifPresent(c -> state.append(" (").append(c.getReason()).append(")"));
    Map<String, String> selector = matchLabels(deployment.getSpec().getSelector());
    List<String> replicaSets =
        selector.isEmpty()
            ? List.of()
            : client
                .apps()
                .replicaSets()
                .inNamespace(namespace)
                .withLabels(selector)
                .list()
                .getItems()
                .stream()
                .filter(rs -> ownedBy(rs, "Deployment", name))
                .map(rs -> rs.getMetadata().getName())
                .toList();
    return Optional.of(
        unready(
            "Deployment",
            namespace,
            name,
            state.toString(),
            selector,
            replicaSets.stream().map(rs -> new ObjectRef("ReplicaSet", rs)).toList()));
  }

  private Optional<UnreadyResource> statefulSet(String namespace, String name) {
    StatefulSet statefulSet =
        client.apps().statefulSets().inNamespace(namespace).withName(name).get();
    if (statefulSet == null) {
      return Optional.of(missing("StatefulSet", namespace, name));
    }
    int desired = Objects.requireNonNullElse(statefulSet.getSpec().getReplicas(), 1);
    var status = statefulSet.getStatus();
    int ready = status == null ? 0 : Objects.requireNonNullElse(status.getReadyReplicas(), 0);
    if (ready >= desired) {
      return Optional.empty();
    }
    return notAllReady(
        "StatefulSet", namespace, name, ready, desired, statefulSet.getSpec().getSelector());
  }

  private Optional<UnreadyResource> daemonSet(String namespace, String name) {
    DaemonSet daemonSet = client.apps().daemonSets().inNamespace(namespace).withName(name).get();
    if (daemonSet == null) {
      return Optional.of(missing("DaemonSet", namespace, name));
    }
    var status = daemonSet.getStatus();
    int desired =
        status == null ? 0 : Objects.requireNonNullElse(status.getDesiredNumberScheduled(), 0);
    int ready = status == null ? 0 : Objects.requireNonNullElse(status.getNumberReady(), 0);
    int updated =
        status == null ? 0 : Objects.requireNonNullElse(status.getUpdatedNumberScheduled(), 0);
    if (ready >= desired && updated >= desired) {
      return Optional.empty();
    }
    return notAllReady(
        "DaemonSet", namespace, name, ready, desired, daemonSet.getSpec().getSelector());
  }

  /** A workload with no replica sets of its own that has {@code ready} of {@code desired} pods. */
  private Optional<UnreadyResource> notAllReady(
      String kind, String namespace, String name, int ready, int desired, LabelSelector selector) {
    return Optional.of(
        unready(
            kind,
            namespace,
            name,
            ready + "/" + desired + " ready",
            matchLabels(selector),
            List.of()));
  }

  private Optional<UnreadyResource> job(String namespace, String name) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (job == null) {
      return Optional.of(missing("Job", namespace, name));
    }
    List<JobCondition> conditions =
        job.getStatus() == null || job.getStatus().getConditions() == null
            ? List.of()
            : job.getStatus().getConditions();
    Optional<JobCondition> failed =
        conditions.stream()
            .filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
    if (failed.isEmpty()) {
      return Optional.empty();
    }
    JobCondition condition = failed.get();
    String detail =
        Stream.of(condition.getReason(), condition.getMessage())
            .filter(s -> s != null && !s.isBlank())
            .reduce((a, b) -> a + ": " + b)
            .map(s -> " (" + s + ")")
            .orElse("");
    Map<String, String> selector = matchLabels(job.getSpec().getSelector());
    // The API server adds the selector; until then the Job controller's pod label finds them.
    Map<String, String> pods = selector.isEmpty() ? Map.of("job-name", name) : selector;
    return Optional.of(unready("Job", namespace, name, "failed" + detail, pods, List.of()));
  }

  private Optional<UnreadyResource> claim(String namespace, String name) {
    var claim = client.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    if (claim == null) {
      return Optional.of(missing("PersistentVolumeClaim", namespace, name));
    }
    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if ("Bound".equals(phase)) {
      return Optional.empty();
    }
    String storageClass = claim.getSpec().getStorageClassName();
    return Optional.of(
        new UnreadyResource(
            "PersistentVolumeClaim",
            namespace,
            name,
            "not bound (phase "
                + Objects.requireNonNullElse(phase, "Pending")
                + (storageClass == null ? ", no storage class" : ", storage class " + storageClass)
                + ")",
            List.of(),
            warnings(namespace, "PersistentVolumeClaim", name)));
  }

  private Optional<UnreadyResource> service(String namespace, String name) {
    var service = client.services().inNamespace(namespace).withName(name).get();
    if (service == null) {
      return Optional.of(missing("Service", namespace, name));
    }
    if (!"LoadBalancer".equals(service.getSpec().getType())) {
      return Optional.empty();
    }
    var ingress =
        service.getStatus() == null || service.getStatus().getLoadBalancer() == null
            ? null
            : service.getStatus().getLoadBalancer().getIngress();
    if (ingress != null && !ingress.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new UnreadyResource(
            "Service",
            namespace,
            name,
            "no load balancer address yet",
            List.of(),
            warnings(namespace, "Service", name)));
  }

  /** A resource of the manifest that the cluster does not have: Helm never created it. */
  private UnreadyResource missing(String kind, String namespace, String name) {
    return new UnreadyResource(
        kind,
        namespace,
        name,
        "not created (or deleted since)",
        List.of(),
        warnings(namespace, kind, name));
  }

  private UnreadyResource unready(
      String kind,
      String namespace,
      String name,
      String state,
      Map<String, String> podLabels,
      List<ObjectRef> related) {
    List<PodHealth> pods =
        podLabels.isEmpty() ? List.of() : ReleasePods.matching(client, namespace, podLabels);
    List<WarningEvent> events = new ArrayList<>(warnings(namespace, kind, name));
    related.forEach(r -> events.addAll(warnings(namespace, r.kind(), r.name())));
    pods.stream()
        .filter(PodHealth::isUnhealthy)
        .limit(PODS_WITH_EVENTS)
        .forEach(p -> events.addAll(warnings(namespace, "Pod", p.name())));
    events.sort(
        Comparator.comparing((WarningEvent e) -> e.lastSeen().orElse(Instant.EPOCH))
            .thenComparing(WarningEvent::kind)
            .thenComparing(WarningEvent::name));
    List<WarningEvent> last =
        events.subList(Math.max(0, events.size() - EVENTS_PER_RESOURCE), events.size());
    return new UnreadyResource(kind, namespace, name, state, pods, last);
  }

  /** The Warning events about one object. */
  private List<WarningEvent> warnings(String namespace, String kind, String name) {
    try {
      return client
          .v1()
          .events()
          .inNamespace(namespace)
          .withField("involvedObject.name", name)
          .list()
          .getItems()
          .stream()
          .filter(e -> "Warning".equals(e.getType()))
          .filter(
              e -> e.getInvolvedObject() == null || kind.equals(e.getInvolvedObject().getKind()))
          .map(e -> warning(e, kind, name))
          .toList();
    } catch (KubernetesClientException e) {
      LOG.debug("cannot list the events of {} {}/{}: {}", kind, namespace, name, e.getMessage());
      return List.of();
    }
  }

  private static WarningEvent warning(Event event, String kind, String name) {
    Optional<Instant> lastSeen =
        Stream.of(
                event.getLastTimestamp(),
                event.getEventTime() == null ? null : event.getEventTime().getTime(),
                event.getMetadata() == null ? null : event.getMetadata().getCreationTimestamp())
            .filter(t -> t != null && !t.isBlank())
            .findFirst()
            .flatMap(ReleaseDiagnostics::instant);
    return new WarningEvent(
        kind,
        name,
        Objects.requireNonNullElse(event.getReason(), ""),
        Objects.requireNonNullElse(event.getMessage(), ""),
        Objects.requireNonNullElse(event.getCount(), 1),
        lastSeen);
  }

  private static Optional<Instant> instant(String text) {
    try {
      return Optional.of(Instant.parse(text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A selector's {@code matchLabels}. Its {@code matchExpressions} are left out: pods are listed
   * with an equality selector, which then may find a few too many.
   */
  private static Map<String, String> matchLabels(LabelSelector selector) {
    return selector == null || selector.getMatchLabels() == null
        ? Map.of()
        : selector.getMatchLabels();
  }

  private static boolean ownedBy(ReplicaSet replicaSet, String kind, String name) {
    return replicaSet.getMetadata().getOwnerReferences() != null
        && replicaSet.getMetadata().getOwnerReferences().stream()
            .anyMatch(o -> kind.equals(o.getKind()) && name.equals(o.getName()));
  }

  private record ObjectRef(String kind, String name) {}
}
