package dev.deployer.core.graph;

import dev.deployer.core.plan.Dependency;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.traverse.TopologicalOrderIterator;

/**
 * The releases of a plan and what each depends on, resolved to unique names. Releases are kept in a
 * deterministic topological order: every release after all it depends on, ties in plan order.
 */
public final class ReleaseGraph {
  private final List<Release> releases;
  private final Map<String, Release> byName;
  private final Map<String, Set<String>> dependencies;
  private final Map<String, Set<String>> dependents;

  private ReleaseGraph(List<Release> ordered, Map<String, Set<String>> dependencies) {
    this.releases = List.copyOf(ordered);
    this.byName = new LinkedHashMap<>();
    ordered.forEach(r -> byName.put(r.uniqueName(), r));
    this.dependencies = new HashMap<>();
    this.dependents = new HashMap<>();
    Map<String, Integer> position = new HashMap<>();
    for (Release r : ordered) {
      position.put(r.uniqueName(), position.size());
      this.dependents.put(r.uniqueName(), new LinkedHashSet<>());
    }
    // Keep each set in topological order so that output is stable.
    for (Release r : ordered) {
      List<String> deps = new ArrayList<>(dependencies.getOrDefault(r.uniqueName(), Set.of()));
      deps.removeIf(d -> !position.containsKey(d));
      deps.sort((a, b) -> Integer.compare(position.get(a), position.get(b)));
      this.dependencies.put(r.uniqueName(), new LinkedHashSet<>(deps));
      deps.forEach(d -> this.dependents.get(d).add(r.uniqueName()));
    }
  }

  /**
   * Resolves every release's {@code depends_on} and orders the releases. Missing required
   * dependencies, ambiguous names and cycles go to {@code problems} as errors (a cycle as its full
   * path); optional dependencies that match nothing are dropped with a warning.
   */
  public static ReleaseGraph of(Plan plan, Problems problems) {
    List<Release> releases = plan.releases();
    Map<String, Release> byUnique = new LinkedHashMap<>();
    Map<String, List<Release>> byShortName = new HashMap<>();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < releases.size(); i++) {
      Release r = releases.get(i);
      if (byUnique.putIfAbsent(r.uniqueName(), r) == null) {
        index.put(r.uniqueName(), i);
        byShortName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, List<Release>> byTag = new HashMap<>();
    for (Release r : byUnique.values()) {
      for (String tag : r.tags()) {
        byTag.computeIfAbsent(tag, k -> new ArrayList<>()).add(r);
      }
    }
    Map<String, Set<String>> dependencies = new HashMap<>();
    Map<String, Map<String, Location>> edgeLocations = new HashMap<>();
    for (Release r : byUnique.values()) {
      int i = index.get(r.uniqueName());
      Set<String> deps = new LinkedHashSet<>();
      for (int d = 0; d < r.dependsOn().size(); d++) {
        Dependency dep = r.dependsOn().get(d);
        String field = "releases[" + i + "].depends_on[" + d + "]";
        List<Release> targets = resolve(r, dep, byUnique, byShortName, byTag, problems, field);
        for (Release t : targets) {
          deps.add(t.uniqueName());
          edgeLocations
              .computeIfAbsent(r.uniqueName(), k -> new HashMap<>())
              .putIfAbsent(t.uniqueName(), dep.location());
        }
      }
      dependencies.put(r.uniqueName(), deps);
    }
    List<List<String>> cycles = cycles(byUnique.keySet(), dependencies, index);
    for (List<String> cycle : cycles) {
      String first = cycle.get(0);
      Location where = edgeLocations.get(first).get(cycle.get(1));
      problems.error(
          where,
          "releases[" + index.get(first) + "].depends_on",
          "dependency cycle: " + String.join(" -> ", cycle));
    }
    if (!cycles.isEmpty()) {
      // Break the cycles so that the rest of the plan can still be ordered and shown.
      for (List<String> cycle : cycles) {
        dependencies.get(cycle.get(0)).remove(cycle.get(1));
      }
      return of(byUnique, dependencies, index);
    }
    return of(byUnique, dependencies, index);
  }

  private static ReleaseGraph of(
      Map<String, Release> byUnique,
      Map<String, Set<String>> dependencies,
      Map<String, Integer> index) {
    Graph<String, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
    byUnique.keySet().forEach(g::addVertex);
    dependencies.forEach((dependent, deps) -> deps.forEach(dep -> g.addEdge(dep, dependent)));
    List<Release> ordered = new ArrayList<>(byUnique.size());
    try {
      new TopologicalOrderIterator<>(g, (a, b) -> Integer.compare(index.get(a), index.get(b)))
          .forEachRemaining(name -> ordered.add(byUnique.get(name)));
    } catch (IllegalArgumentException cycleLeft) {
      // Only when a cycle could not be broken above; keep plan order so that output exists.
      ordered.clear();
      ordered.addAll(byUnique.values());
    }
    return new ReleaseGraph(ordered, dependencies);
  }

  private static List<Release> resolve(
      Release from,
      Dependency dep,
      Map<String, Release> byUnique,
      Map<String, List<Release>> byShortName,
      Map<String, List<Release>> byTag,
      Problems problems,
      String field) {
    if (dep.tag().isPresent()) {
      String tag = dep.tag().get();
      List<Release> tagged =
          byTag.getOrDefault(tag, List.of()).stream().filter(t -> t != from).toList();
      if (tagged.isEmpty()) {
        missing(from, dep, "no other release has tag \"" + tag + "\"", problems, field);
      }
      return tagged;
    }
    String name = dep.name().orElseThrow();
    if (name.contains("@")) {
      Release exact = byUnique.get(name);
      if (exact == null && from.context().isPresent()) {
        exact = byUnique.get(name + "@" + from.context().get());
      }
      if (exact == null) {
        missing(from, dep, "release \"" + name + "\" is not in the plan", problems, field);
        return List.of();
      }
      return List.of(exact);
    }
    List<Release> candidates = byShortName.getOrDefault(name, List.of());
    List<Release> sameNamespace =
        candidates.stream().filter(c -> c.namespace().equals(from.namespace())).toList();
    if (sameNamespace.size() == 1) {
      return sameNamespace;
    }
    if (candidates.size() == 1) {
      return candidates;
    }
    if (candidates.isEmpty()) {
      missing(from, dep, "release \"" + name + "\" is not in the plan", problems, field);
    } else {
      problems.error(
          dep.location(),
          field,
          "\""
              + name
              + "\" matches several releases ("
              + candidates.stream().map(Release::uniqueName).collect(Collectors.joining(", "))
              + "); write the unique name");
    }
    return List.of();
  }

  private static void missing(
      Release from, Dependency dep, String why, Problems problems, String field) {
    if (dep.optional()) {
      problems.warning(
          dep.location(),
          field,
          why + "; optional dependency of " + from.uniqueName() + " dropped");
    } else {
      problems.error(dep.location(), field, why + " (required by " + from.uniqueName() + ")");
    }
  }

  /** One cycle per strongly connected component, as a path that starts and ends at one release. */
  private static List<List<String>> cycles(
      Set<String> names, Map<String, Set<String>> dependencies, Map<String, Integer> index) {
    Graph<String, DefaultEdge> g = new DefaultDirectedGraph<>(DefaultEdge.class);
    names.forEach(g::addVertex);
    dependencies.forEach(
        (from, deps) ->
            deps.forEach(
                to -> {
                  if (from.equals(to)) {
                    return;
                  }
                  g.addEdge(from, to);
                }));
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component :
        new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
      if (component.size() < 2) {
        String only = component.iterator().next();
        if (dependencies.get(only).contains(only)) {
          cycles.add(List.of(only, only));
        }
        continue;
      }
      String start =
          component.stream()
              .min((a, b) -> Integer.compare(index.get(a), index.get(b)))
              .orElseThrow();
      cycles.add(pathBack(start, component, dependencies, index));
    }
    cycles.sort((a, b) -> Integer.compare(index.get(a.get(0)), index.get(b.get(0))));
    return cycles;
  }

  /** The shortest path from {@code start} back to itself inside its component. */
  private static List<String> pathBack(
      String start,
      Set<String> component,
      Map<String, Set<String>> dependencies,
      Map<String, Integer> index) {
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>();
    queue.add(start);
    Set<String> seen = new HashSet<>();
    seen.add(start);
    String last = null;
    while (!queue.isEmpty() && last == null) {
      String current = queue.poll();
      List<String> next = new ArrayList<>(dependencies.get(current));
      next.sort((a, b) -> Integer.compare(index.get(a), index.get(b)));
      for (String n : next) {
        if (!component.contains(n)) {
          continue;
        }
        if (n.equals(start)) {
          last = current;
          break;
        }
        if (seen.add(n)) {
          parent.put(n, current);
          queue.add(n);
        }
      }
    }
    List<String> path = new ArrayList<>();
    for (String at = last; at != null; at = parent.get(at)) {
      path.add(at);
    }
    Collections.reverse(path);
    path.add(start);
    return path;
  }

  /**
   * The same releases with every dependency turned around, for {@code down} and {@code rollback}: a
   * release comes before the releases it depends on.
   */
  public ReleaseGraph reversed() {
    Map<String, Set<String>> turned = new HashMap<>();
    Map<String, Release> kept = new LinkedHashMap<>();
    Map<String, Integer> order = new HashMap<>();
    List<Release> backwards = new ArrayList<>(releases);
    Collections.reverse(backwards);
    for (Release r : backwards) {
      order.put(r.uniqueName(), kept.size());
      kept.put(r.uniqueName(), r);
      turned.put(r.uniqueName(), new LinkedHashSet<>(dependents.get(r.uniqueName())));
    }
    return of(kept, turned, order);
  }

  /** The releases, each after all it depends on. */
  public List<Release> releases() {
    return releases;
  }

  public int size() {
    return releases.size();
  }

  public Release release(String uniqueName) {
    Release r = byName.get(uniqueName);
    if (r == null) {
      throw new IllegalArgumentException("no release " + uniqueName + " in this graph");
    }
    return r;
  }

  /** What a release depends on directly, in topological order. */
  public List<Release> dependenciesOf(Release release) {
    return dependencies.get(release.uniqueName()).stream().map(byName::get).toList();
  }

  /** The releases that depend on this one directly, in topological order. */
  public List<Release> dependentsOf(Release release) {
    return dependents.get(release.uniqueName()).stream().map(byName::get).toList();
  }

  public int edgeCount() {
    return dependencies.values().stream().mapToInt(Set::size).sum();
  }

  /**
   * The releases a selection picks. With dependencies included, everything they depend on comes
   * along; without, the selected releases keep their order through releases left out.
   */
  public ReleaseGraph select(Selection selection) {
    if (selection.tags().isEmpty() && selection.names().isEmpty()) {
      return this;
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (Release r : releases) {
      boolean tagged =
          selection.tags().isEmpty()
              || (selection.matchAllTags()
                  ? r.tags().containsAll(selection.tags())
                  : selection.tags().stream().anyMatch(r::hasTag));
      boolean named =
          selection.names().isEmpty()
              || selection.names().contains(r.name())
              || selection.names().contains(r.uniqueName());
      if (tagged && named) {
        chosen.add(r.uniqueName());
      }
    }
    Map<String, Set<String>> deps = new HashMap<>();
    if (selection.includeDependencies()) {
      Deque<String> todo = new ArrayDeque<>(chosen);
      while (!todo.isEmpty()) {
        String name = todo.poll();
        for (String dep : dependencies.get(name)) {
          if (chosen.add(dep)) {
            todo.add(dep);
          }
        }
      }
      for (String name : chosen) {
        deps.put(name, dependencies.get(name));
      }
    } else {
      for (String name : chosen) {
        deps.put(name, nearestChosen(name, chosen));
      }
    }
    Map<String, Release> kept = new LinkedHashMap<>();
    Map<String, Integer> order = new HashMap<>();
    for (Release r : releases) {
      if (chosen.contains(r.uniqueName())) {
        order.put(r.uniqueName(), kept.size());
        kept.put(r.uniqueName(), r);
      }
    }
    return of(kept, deps, order);
  }

  private Set<String> nearestChosen(String from, Set<String> chosen) {
    Set<String> found = new LinkedHashSet<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(dependencies.get(from));
    while (!todo.isEmpty()) {
      String n = todo.poll();
      if (!seen.add(n)) {
        continue;
      }
      if (chosen.contains(n)) {
        found.add(n);
      } else {
        todo.addAll(dependencies.get(n));
      }
    }
    return found;
  }
}
