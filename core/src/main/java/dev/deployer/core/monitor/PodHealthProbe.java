package dev.deployer.core.monitor;

import dev.deployer.core.kube.ContainerHealth;
import dev.deployer.core.kube.PodHealth;
import dev.deployer.core.kube.ReleasePods;
import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.Monitor;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code kubernetes} monitor: watches the pods of the releases that reference it (labelled
 * {@code app.kubernetes.io/instance=<release>}) and fails when
 *
 * <ul>
 *   <li>a container restarted more than {@code max_restarts} times <em>since the monitor
 *       started</em>: restarts from before (a pod that crashed twice during the rollout and then
 *       settled) do not count. The first probe of a release takes the counts it finds as the
 *       baseline; a pod that appears later counts all its restarts, since all of them happened
 *       while the monitor ran;
 *   <li>{@code require_ready} is set and a pod is not ready (finished pods, phase {@code
 *       Succeeded}, are left alone);
 *   <li>a pod's readiness dropped within {@code flap_window}: it was seen ready and then not ready,
 *       or restarted between two probes while ready. It fails while the drop is younger than the
 *       window, even when the pod is ready again, so an app that is ready for a moment and then
 *       crashes fails the monitor whatever the other settings. A pod that is not ready at first and
 *       then becomes ready is starting, not flapping.
 * </ul>
 *
 * <p>A probe sees the pods only when it runs: a pod that goes down and comes back up between two
 * probes without a container restart (a readiness probe that failed for a while) is not seen.
 * Thread-safe: probes of one instance run one at a time, since each compares with the previous one.
 */
public final class PodHealthProbe implements Probe {

  /** One release whose pods are watched: its cluster's client, its namespace and its name. */
  public record WatchedRelease(KubernetesClient client, String namespace, String release) {
    public WatchedRelease {
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(namespace, "namespace");
      Objects.requireNonNull(release, "release");
    }

    /** {@code release@namespace}, as the plan names a release. */
    String uniqueName() {
      return release + "@" + namespace;
    }
  }

  private final int maxRestarts;
  private final boolean requireReady;
  private final Duration flapWindow;
  private final List<WatchedRelease> releases;
  private final Clock clock;

  // What the previous probes saw, by release index and pod name; guarded by this.
  private final Set<Integer> listedReleases = new HashSet<>();
  private final Set<Integer> everSeen = new HashSet<>();
  private final Map<String, PodState> pods = new HashMap<>();

  /**
   * @param settings the monitor's {@code kubernetes} block
   * @param releases the releases that reference the monitor
   */
  public PodHealthProbe(Monitor.KubernetesProbe settings, List<WatchedRelease> releases) {
    this(settings, releases, Clock.systemUTC());
  }

  PodHealthProbe(Monitor.KubernetesProbe settings, List<WatchedRelease> releases, Clock clock) {
    if (releases.isEmpty()) {
      throw new ProbeException("the kubernetes monitor has no release to watch");
    }
    this.maxRestarts = settings.maxRestarts();
    this.requireReady = settings.requireReady();
    this.flapWindow = settings.flapWindow();
    this.releases = List.copyOf(releases);
    this.clock = clock;
  }

  @Override
  public synchronized ProbeResult probe() {
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    List<String> unlisted = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int podCount = 0;
    int readyCount = 0;
    int mostRestarts = 0;
    List<String> gone = new ArrayList<>();
    List<String> withoutPods = new ArrayList<>();
    for (int i = 0; i < releases.size(); i++) {
      WatchedRelease release = releases.get(i);
      List<ReleasePods.ReleasePod> found;
      try {
        found = ReleasePods.withMetadata(release.client(), release.namespace(), release.release());
      } catch (KubernetesClientException e) {
        // Keep the state of its pods: the next successful listing compares with it.
        keepStateOf(i, seen);
        unlisted.add("cannot list the pods of " + release.uniqueName() + ": " + why(e));
        continue;
      }
      boolean baseline = listedReleases.add(i);
      Set<String> listed = new HashSet<>();
      for (ReleasePods.ReleasePod listedPod : found) {
        PodHealth pod = listedPod.health();
        String key = i + "/" + pod.name();
        seen.add(key);
        listed.add(key);
        PodState state = pods.computeIfAbsent(key, k -> new PodState());
        state.hookDeletePolicy = listedPod.hookDeletePolicy();
        state.ownerKind = listedPod.ownerKind();
        Observation observation = state.observe(pod, baseline, now);
        podCount++;
        readyCount += pod.ready() ? 1 : 0;
        mostRestarts = Math.max(mostRestarts, observation.mostRestarts());
        observation
            .problems()
            .ifPresent(
                p -> problems.add("pod " + release.namespace() + "/" + pod.name() + ": " + p));
      }
      String prefix = i + "/";
      pods.forEach(
          (key, state) -> {
            if (key.startsWith(prefix) && !listed.contains(key)) {
              gone.add(
                  "pod "
                      + release.namespace()
                      + "/"
                      + key.substring(prefix.length())
                      + " "
                      + state.howGone());
            }
          });
      if (found.isEmpty()) {
        withoutPods.add(
            release.uniqueName()
                + (everSeen.contains(i)
                    ? ": every pod seen before was deleted"
                    : ": none created (or deleted before the monitor started)"));
      } else {
        everSeen.add(i);
      }
    }
    pods.keySet().retainAll(seen);
    java.util.Collections.sort(gone);
    String goneNote =
        gone.isEmpty() ? "" : "; gone since the last probe: " + String.join(", ", gone);
    if (!problems.isEmpty()) {
      problems.addAll(unlisted);
      return ProbeResult.failure(String.join("; ", problems) + goneNote);
    }
    if (!unlisted.isEmpty()) {
      // What could not be listed is unknown, not unhealthy.
      return ProbeResult.error(String.join("; ", unlisted));
    }
    String names =
        releases.stream().map(WatchedRelease::uniqueName).collect(Collectors.joining(", "));
    if (podCount == 0) {
      return ProbeResult.success("no pods of " + String.join("; ", withoutPods) + goneNote);
    }
    return ProbeResult.success(
        podCount
            + (podCount == 1 ? " pod of " : " pods of ")
            + names
            + ": "
            + readyCount
            + " ready, most restarts of a container since the monitor started "
            + mostRestarts
            + " (max "
            + maxRestarts
            + ")"
            + goneNote);
  }

  /** The API server's reason, without fabric8's request dump. */
  private static String why(KubernetesClientException e) {
    if (e.getCode() == 403) {
      return "forbidden (HTTP 403): the kubeconfig's user may not list pods there";
    }
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
    }
    Throwable cause = e.getCause() == null ? e : e.getCause();
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private void keepStateOf(int release, Set<String> seen) {
    String prefix = release + "/";
    pods.keySet().stream().filter(k -> k.startsWith(prefix)).forEach(seen::add);
  }

  /** What one probe found wrong with one pod, and its largest restart count since the start. */
  private record Observation(int mostRestarts, Optional<String> problems) {}

  /** What earlier probes saw of one pod. */
  private final class PodState {
    private final Map<String, Integer> baselines = new HashMap<>();
    private final Map<String, Integer> lastRestarts = new HashMap<>();
    private Boolean lastReady;
    private Optional<String> hookDeletePolicy = Optional.empty();
    private Optional<String> ownerKind = Optional.empty();

    /** Why a pod seen before is no longer listed, as far as its metadata tells. */
    String howGone() {
      if (hookDeletePolicy.isPresent()) {
        return "deleted by its hook policy (" + hookDeletePolicy.get() + ")";
      }
      if (ownerKind.isPresent()) {
        return "deleted (its " + ownerKind.get() + " replaced or removed it)";
      }
      return "deleted";
    }

    private Instant lastDrop;
    private String lastDropHow;

    Observation observe(PodHealth pod, boolean baseline, Instant now) {
      boolean restartedSinceLastProbe = false;
      int mostRestarts = 0;
      List<String> restartProblems = new ArrayList<>();
      for (ContainerHealth container : pod.containers()) {
        int restarts = container.restarts();
        Integer previous = lastRestarts.put(container.name(), restarts);
        if (previous != null && restarts > previous) {
          restartedSinceLastProbe = true;
        }
        // A lower count than before is a new pod under the same name: all its restarts are new.
        int base = baselines.getOrDefault(container.name(), baseline ? restarts : 0);
        if (restarts < base) {
          base = 0;
        }
        baselines.put(container.name(), base);
        int sinceStart = restarts - base;
        mostRestarts = Math.max(mostRestarts, sinceStart);
        if (sinceStart > maxRestarts) {
          restartProblems.add(
              "container "
                  + container.name()
                  + " restarted "
                  + sinceStart
                  + (sinceStart == 1 ? " time" : " times")
                  + " since the monitor started (max "
                  + maxRestarts
                  + container.lastTerminationReason().map(r -> ", last " + r).orElse("")
                  + ")");
        }
      }

      boolean finished = pod.phase().equals("Succeeded");
      if (Boolean.TRUE.equals(lastReady) && !finished) {
        if (!pod.ready()) {
          lastDrop = now;
          lastDropHow = "was ready, then not ready";
        } else if (restartedSinceLastProbe) {
          lastDrop = now;
          lastDropHow = "was ready, then restarted";
        }
      }
      lastReady = pod.ready();

      List<String> problems = new ArrayList<>();
      if (requireReady && !pod.ready() && !finished) {
        List<String> reasons = pod.reasons();
        problems.add(
            (pod.phase().equals("Running") ? "not ready" : "not ready, " + pod.phase())
                + (reasons.isEmpty() ? "" : " (" + String.join(", ", reasons) + ")"));
      }
      if (lastDrop != null && !flapWindow.isZero()) {
        Duration age = Duration.between(lastDrop, now);
        if (age.compareTo(flapWindow) <= 0) {
          problems.add(
              "readiness flapped "
                  + GoDuration.format(age.truncatedTo(ChronoUnit.SECONDS))
                  + " ago ("
                  + lastDropHow
                  + "; flap_window "
                  + GoDuration.format(flapWindow)
                  + ")");
        }
      }
      problems.addAll(restartProblems);
      return new Observation(
          mostRestarts,
          problems.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", problems)));
    }
  }
}
