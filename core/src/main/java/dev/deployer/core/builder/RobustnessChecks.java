package dev.deployer.core.builder;

import dev.deployer.core.diff.Manifests;
import dev.deployer.core.diff.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a rendered release for what makes a deploy prove less than it seems: Helm's wait means
 * little for a workload without a readiness probe, a single replica that may be unavailable is
 * "ready" while nothing serves, a {@code latest} (or missing) image tag deploys whatever the
 * registry has, and a pod template annotation that changes on every render makes every plan differ
 * and restarts the pods on every {@code up}.
 */
public final class RobustnessChecks {
  private static final Set<String> WORKLOADS =
      Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet");
  // Template functions whose result differs between two renders of the same input.
  private static final Pattern UNSTABLE =
      Pattern.compile(
          "\\b(now|randAlphaNum|randAlpha|randNumeric|randAscii|randBytes|uuidv4|htmlDate|date)\\b");

  private RobustnessChecks() {}

  /** Whether a chart's template text could render differently each time. */
  public static boolean mayBeUnstable(String templateText) {
    return UNSTABLE.matcher(templateText).find();
  }

  /** The findings for one rendered manifest, each naming its resource. */
  public static List<String> check(String manifest, String namespace) {
    return check(Manifests.parse(manifest, namespace));
  }

  /** The findings for a release's parsed resources, each naming its resource. */
  public static List<String> check(List<Resource> resources) {
    List<String> out = new ArrayList<>();
    for (Resource r : resources) {
      if (!WORKLOADS.contains(r.kind()) || isHook(r)) {
        continue;
      }
      String name = r.kind() + " " + r.name();
      Map<?, ?> spec = map(r.content().get("spec"));
      Map<?, ?> podSpec = map(map(map(spec.get("template")).get("spec")));
      for (Object c : list(podSpec.get("containers"))) {
        Map<?, ?> container = map(c);
        String cname = String.valueOf(container.get("name"));
        if (container.get("readinessProbe") == null) {
          out.add(
              name
                  + ": container "
                  + cname
                  + " has no readinessProbe, so Helm's wait proves only that it started");
        }
        imageTag(container.get("image"))
            .ifPresent(problem -> out.add(name + ": container " + cname + " image " + problem));
      }
      if (r.kind().equals("Deployment")) {
        int replicas = spec.get("replicas") instanceof Number n ? n.intValue() : 1;
        Object maxUnavailable =
            map(map(spec.get("strategy")).get("rollingUpdate")).get("maxUnavailable");
        if (replicas == 1 && unavailable(maxUnavailable, replicas) >= 1) {
          out.add(
              name
                  + ": 1 replica with maxUnavailable "
                  + maxUnavailable
                  + ": it counts as ready while no pod is available");
        }
      }
    }
    return out;
  }

  /**
   * Pod template annotations that differ between two renders of the same release.
   *
   * @return one finding per workload and annotation
   */
  public static List<String> unstableAnnotations(String first, String second, String namespace) {
    Map<String, Resource> again = new java.util.HashMap<>();
    for (Resource r : Manifests.parse(second, namespace)) {
      again.put(r.key(), r);
    }
    List<String> out = new ArrayList<>();
    for (Resource r : Manifests.parse(first, namespace)) {
      Resource other = again.get(r.key());
      if (!WORKLOADS.contains(r.kind()) && !r.kind().equals("Job") || other == null) {
        continue;
      }
      Map<?, ?> a = podAnnotations(r);
      Map<?, ?> b = podAnnotations(other);
      for (Object key : a.keySet()) {
        if (!Objects.equals(a.get(key), b.get(key))) {
          out.add(
              r.kind()
                  + " "
                  + r.name()
                  + ": pod template annotation "
                  + key
                  + " changes on every render (now, rand*): every plan differs and every up"
                  + " restarts the pods; use up --restart or rollout_restart instead");
        }
      }
    }
    return out;
  }

  private static Map<?, ?> podAnnotations(Resource r) {
    return map(
        map(map(map(r.content().get("spec")).get("template")).get("metadata")).get("annotations"));
  }

  private static boolean isHook(Resource r) {
    return map(map(r.content().get("metadata")).get("annotations")).containsKey("helm.sh/hook");
  }

  private static java.util.Optional<String> imageTag(Object image) {
    if (!(image instanceof String text) || text.isBlank()) {
      return java.util.Optional.empty();
    }
    if (text.contains("@")) {
      return java.util.Optional.empty(); // pinned by digest
    }
    String last = text.substring(text.lastIndexOf('/') + 1);
    int colon = last.lastIndexOf(':');
    if (colon < 0) {
      return java.util.Optional.of(text + " has no tag: it means latest");
    }
    if (last.substring(colon + 1).equals("latest")) {
      return java.util.Optional.of(text + " uses the latest tag");
    }
    return java.util.Optional.empty();
  }

  /** How many pods maxUnavailable allows to be down: a number, or a percentage rounded down. */
  private static int unavailable(Object maxUnavailable, int replicas) {
    if (maxUnavailable instanceof Number n) {
      return n.intValue();
    }
    if (maxUnavailable instanceof String s && s.endsWith("%")) {
      try {
        return Integer.parseInt(s.substring(0, s.length() - 1).strip()) * replicas / 100;
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0; // Kubernetes' default, 25%, rounds down to 0 for one replica
  }

  private static Map<?, ?> map(Object o) {
    return o instanceof Map<?, ?> m ? m : Map.of();
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }
}
