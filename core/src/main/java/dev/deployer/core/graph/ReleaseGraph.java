package dev.deployer.core.graph;

import dev.deployer.core.plan.Dependency;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

/**
 * The releases of a plan and what each depends on, resolved to unique names. Releases are kept in a
 * deterministic topological order: every release after all it depends on, ties in plan order.
 *
 * <p>A dependency on a tag makes a release depend on every release with that tag, so a plan of a
 * few thousand releases in layers ({@code depends_on: [{tag: layer3}]}) has millions of
 * dependencies. The checks (cycles, order) therefore run on a smaller graph in which each tag is
 * one node between the releases that carry it and those that depend on it: its size grows with the
 * plan's text, not with the number of dependencies. Only the final sets of direct dependencies are
 * spelled out, as arrays of positions.
 */
public final class ReleaseGraph {
  private final boolean reversed;
  private final List<Release> releases;
  private final Map<String, Integer> position;
  private final int[][] dependencies;
  private final int[][] dependents;
  private final long checkedEdges;

  /**
   * @param ordered the releases in topological order
   * @param dependencies for each position, the positions it depends on, ascending
   */
  private ReleaseGraph(List<Release> ordered, int[][] dependencies, long checkedEdges) {
    this(ordered, dependencies, checkedEdges, false);
  }

  private ReleaseGraph(
      List<Release> ordered, int[][] dependencies, long checkedEdges, boolean reversed) {
    this.reversed = reversed;
    this.releases = List.copyOf(ordered);
    this.position = new HashMap<>();
    for (int p = 0; p < ordered.size(); p++) {
      position.put(ordered.get(p).uniqueName(), p);
    }
    this.dependencies = dependencies;
    this.dependents = turn(dependencies);
    this.checkedEdges = checkedEdges;
  }

  /** The reverse adjacency, each array ascending. */
  private static int[][] turn(int[][] dependencies) {
    int n = dependencies.length;
    int[] counts = new int[n];
    for (int[] deps : dependencies) {
      for (int d : deps) {
        counts[d]++;
      }
    }
    int[][] out = new int[n][];
    for (int p = 0; p < n; p++) {
      out[p] = new int[counts[p]];
    }
    Arrays.fill(counts, 0);
    for (int p = 0; p < n; p++) {
      for (int d : dependencies[p]) {
        out[d][counts[d]++] = p;
      }
    }
    return out;
  }

  /**
   * Resolves every release's {@code depends_on} and orders the releases. Missing required
   * dependencies, ambiguous names and cycles go to {@code problems} as errors (a cycle as its full
   * path); optional dependencies that match nothing are dropped with a warning.
   */
  public static ReleaseGraph of(Plan plan, Problems problems) {
    return new Builder(plan, problems).build();
  }

  /** Resolves a plan's dependencies on a graph with one node per release and one per tag. */
  private static final class Builder {
    private final Problems problems;

    /** The releases with distinct unique names, in plan order; a release's id is its index. */
    private final List<Release> nodes = new ArrayList<>();

    private final List<Integer> planIndex = new ArrayList<>();
    private final Map<String, Integer> byUnique = new HashMap<>();
    private final Map<String, List<Integer>> byShortName = new HashMap<>();
    private final Map<String, Integer> tagIds = new LinkedHashMap<>();
    private final List<int[]> tagMembers = new ArrayList<>();

    /**
     * Per release: the releases it names, the tags it depends on, the releases reached directly.
     */
    private final List<IntList> named = new ArrayList<>();

    private final List<IntList> tagDeps = new ArrayList<>();
    private final List<IntList> direct = new ArrayList<>();

    Builder(Plan plan, Problems problems) {
      this.problems = problems;
      List<Release> all = plan.releases();
      for (int i = 0; i < all.size(); i++) {
        Release r = all.get(i);
        if (byUnique.putIfAbsent(r.uniqueName(), nodes.size()) == null) {
          byShortName.computeIfAbsent(r.name(), k -> new ArrayList<>()).add(nodes.size());
          nodes.add(r);
          planIndex.add(i);
        }
      }
      Map<String, IntList> members = new LinkedHashMap<>();
      for (int id = 0; id < nodes.size(); id++) {
        for (String tag : new java.util.LinkedHashSet<>(nodes.get(id).tags())) {
          members.computeIfAbsent(tag, k -> new IntList()).add(id);
        }
      }
      members.forEach(
          (tag, ids) -> {
            tagIds.put(tag, tagMembers.size());
            tagMembers.add(ids.toArray());
          });
    }

    ReleaseGraph build() {
      int n = nodes.size();
      for (int id = 0; id < n; id++) {
        named.add(new IntList());
        tagDeps.add(new IntList());
        direct.add(new IntList());
      }
      List<IntList> selfTagged = new ArrayList<>();
      tagMembers.forEach(m -> selfTagged.add(new IntList()));
      for (int id = 0; id < n; id++) {
        Release r = nodes.get(id);
        for (int d = 0; d < r.dependsOn().size(); d++) {
          resolve(
              id,
              r.dependsOn().get(d),
              "releases[" + planIndex.get(id) + "].depends_on[" + d + "]",
              selfTagged);
        }
      }
      // A release that carries the tag it depends on reaches the other carriers directly: through
      // the tag's node it would reach itself. Two such releases depend on each other: a cycle.
      for (int t = 0; t < selfTagged.size(); t++) {
        int[] self = selfTagged.get(t).toArray();
        if (self.length == 1) {
          for (int m : tagMembers.get(t)) {
            if (m != self[0]) {
              direct.get(self[0]).add(m);
            }
          }
        } else if (self.length > 1) {
          reportCycle(List.of(self[0], self[1], self[0]));
        }
      }
      int hubs = tagMembers.size();
      int total = n + hubs;
      int[][] out = new int[total][];
      int[] stamp = new int[total];
      Arrays.fill(stamp, -1);
      long edges = 0;
      for (int id = 0; id < n; id++) {
        IntList list = new IntList();
        for (IntList part : List.of(named.get(id), direct.get(id))) {
          for (int i = 0; i < part.size; i++) {
            int target = part.items[i];
            if (stamp[target] != id) {
              stamp[target] = id;
              list.add(target);
            }
          }
        }
        IntList tags = tagDeps.get(id);
        for (int i = 0; i < tags.size; i++) {
          int hub = n + tags.items[i];
          if (stamp[hub] != id) {
            stamp[hub] = id;
            list.add(hub);
          }
        }
        out[id] = list.toArray();
        edges += out[id].length;
      }
      for (int t = 0; t < hubs; t++) {
        out[n + t] = tagMembers.get(t);
        edges += out[n + t].length;
      }
      List<List<Integer>> cycles = cycles(out, n);
      for (List<Integer> cycle : cycles) {
        reportCycle(cycle);
      }
      int[] order = order(out, n);
      return new ReleaseGraph(
          Arrays.stream(order).mapToObj(nodes::get).toList(), expand(out, n, order), edges);
    }

    private void resolve(int from, Dependency dep, String field, List<IntList> selfTagged) {
      Release r = nodes.get(from);
      if (dep.tag().isPresent()) {
        String tag = dep.tag().get();
        Integer t = tagIds.get(tag);
        int[] members = t == null ? new int[0] : tagMembers.get(t);
        boolean carries = r.hasTag(tag);
        if (members.length == (carries ? 1 : 0)) {
          missing(r, dep, "no other release has tag \"" + tag + "\"", field);
          return;
        }
        if (carries) {
          selfTagged.get(t).add(from);
        } else {
          tagDeps.get(from).add(t);
        }
        return;
      }
      String name = dep.name().orElseThrow();
      if (name.contains("@")) {
        Integer exact = byUnique.get(name);
        if (exact == null && r.context().isPresent()) {
          exact = byUnique.get(name + "@" + r.context().get());
        }
        if (exact == null) {
          missing(r, dep, "release \"" + name + "\" is not in the plan", field);
          return;
        }
        named.get(from).add(exact);
        return;
      }
      List<Integer> candidates = byShortName.getOrDefault(name, List.of());
      List<Integer> sameNamespace =
          candidates.stream().filter(c -> nodes.get(c).namespace().equals(r.namespace())).toList();
      if (sameNamespace.size() == 1) {
        named.get(from).add(sameNamespace.get(0));
      } else if (candidates.size() == 1) {
        named.get(from).add(candidates.get(0));
      } else if (candidates.isEmpty()) {
        missing(r, dep, "release \"" + name + "\" is not in the plan", field);
      } else {
        problems.error(
            dep.location(),
            field,
            "\""
                + name
                + "\" matches several releases ("
                + candidates.stream()
                    .map(c -> nodes.get(c).uniqueName())
                    .collect(Collectors.joining(", "))
                + "); write the unique name");
      }
    }

    private void missing(Release from, Dependency dep, String why, String field) {
      if (dep.optional()) {
        problems.warning(
            dep.location(),
            field,
            why + "; optional dependency of " + from.uniqueName() + " dropped");
      } else {
        problems.error(dep.location(), field, why + " (required by " + from.uniqueName() + ")");
      }
    }

    /** Reports a cycle of release ids (first == last) at the entry that makes its first edge. */
    private void reportCycle(List<Integer> cycle) {
      Release first = nodes.get(cycle.get(0));
      Release second = nodes.get(cycle.get(1));
      Location where = first.location();
      for (Dependency dep : first.dependsOn()) {
        boolean makesEdge =
            dep.tag().map(second::hasTag).orElse(false)
                || dep.name()
                    .map(
                        name ->
                            name.equals(second.name())
                                || name.equals(second.uniqueName())
                                || second.uniqueName().startsWith(name + "@"))
                    .orElse(false);
        if (makesEdge) {
          where = dep.location();
          break;
        }
      }
      problems.error(
          where,
          "releases[" + planIndex.get(cycle.get(0)) + "].depends_on",
          "dependency cycle: "
              + cycle.stream()
                  .map(id -> nodes.get(id).uniqueName())
                  .collect(Collectors.joining(" -> ")));
    }

    /**
     * One cycle per strongly connected component of releases (Tarjan's algorithm, without
     * recursion), as the shortest path from its first release in plan order back to itself.
     */
    private List<List<Integer>> cycles(int[][] out, int n) {
      int total = out.length;
      int[] index = new int[total];
      int[] low = new int[total];
      int[] component = new int[total];
      Arrays.fill(index, -1);
      Arrays.fill(component, -1);
      boolean[] onStack = new boolean[total];
      int[] stack = new int[total];
      int[] callNode = new int[total];
      int[] callEdge = new int[total];
      int stackSize = 0;
      int counter = 0;
      int components = 0;
      List<List<Integer>> cycles = new ArrayList<>();
      for (int root = 0; root < total; root++) {
        if (index[root] >= 0) {
          continue;
        }
        int depth = 0;
        callNode[0] = root;
        callEdge[0] = 0;
        index[root] = low[root] = counter++;
        stack[stackSize++] = root;
        onStack[root] = true;
        while (depth >= 0) {
          int v = callNode[depth];
          if (callEdge[depth] < out[v].length) {
            int w = out[v][callEdge[depth]++];
            if (index[w] < 0) {
              index[w] = low[w] = counter++;
              stack[stackSize++] = w;
              onStack[w] = true;
              depth++;
              callNode[depth] = w;
              callEdge[depth] = 0;
            } else if (onStack[w]) {
              low[v] = Math.min(low[v], index[w]);
            }
            continue;
          }
          if (low[v] == index[v]) {
            IntList members = new IntList();
            int w;
            do {
              w = stack[--stackSize];
              onStack[w] = false;
              component[w] = components;
              members.add(w);
            } while (w != v);
            cycleOf(members, components, component, out, n).ifPresent(cycles::add);
            components++;
          }
          depth--;
          if (depth >= 0) {
            int parent = callNode[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
        }
      }
      cycles.sort((a, b) -> Integer.compare(a.get(0), b.get(0)));
      return cycles;
    }

    private java.util.Optional<List<Integer>> cycleOf(
        IntList members, int id, int[] component, int[][] out, int n) {
      if (members.size == 1) {
        int only = members.items[0];
        if (only < n && Arrays.stream(out[only]).anyMatch(t -> t == only)) {
          return java.util.Optional.of(List.of(only, only));
        }
        return java.util.Optional.empty();
      }
      int start = Integer.MAX_VALUE;
      for (int i = 0; i < members.size; i++) {
        if (members.items[i] < n) {
          start = Math.min(start, members.items[i]);
        }
      }
      return java.util.Optional.of(pathBack(start, id, component, out, n));
    }

    /**
     * The shortest path, counted in releases, from {@code start} back to itself inside its
     * component. A tag's node is passed through at no cost and opened once.
     */
    private List<Integer> pathBack(int start, int id, int[] component, int[][] out, int n) {
      Map<Integer, Integer> parent = new HashMap<>();
      BitSet seen = new BitSet(out.length);
      seen.set(start);
      java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
      queue.add(start);
      int last = -1;
      while (!queue.isEmpty() && last < 0) {
        int current = queue.poll();
        IntList next = new IntList();
        for (int w : out[current]) {
          if (component[w] != id) {
            continue;
          }
          if (w < n) {
            next.add(w);
          } else if (!seen.get(w)) {
            seen.set(w);
            for (int m : out[w]) {
              if (component[m] == id) {
                next.add(m);
              }
            }
          }
        }
        int[] sorted = next.toArray();
        Arrays.sort(sorted);
        for (int w : sorted) {
          if (w == start) {
            last = current;
            break;
          }
          if (!seen.get(w)) {
            seen.set(w);
            parent.put(w, current);
            queue.add(w);
          }
        }
      }
      List<Integer> path = new ArrayList<>();
      for (Integer at = last; at != null; at = parent.get(at)) {
        path.add(at);
      }
      java.util.Collections.reverse(path);
      path.add(start);
      return path;
    }

    /**
     * Release ids in topological order, ties in plan order (Kahn's algorithm; a tag's node is
     * passed as soon as all its releases are). Releases caught in a cycle come last, in plan order.
     */
    private int[] order(int[][] out, int n) {
      int total = out.length;
      int[] waiting = new int[total];
      int[][] into = turn(out);
      PriorityQueue<Integer> ready = new PriorityQueue<>();
      for (int v = 0; v < total; v++) {
        waiting[v] = out[v].length;
      }
      java.util.ArrayDeque<Integer> passed = new java.util.ArrayDeque<>();
      for (int v = 0; v < total; v++) {
        if (waiting[v] == 0) {
          if (v < n) {
            ready.add(v);
          } else {
            passed.add(v);
          }
        }
      }
      int[] order = new int[n];
      boolean[] placed = new boolean[n];
      int size = 0;
      while (true) {
        while (!passed.isEmpty()) {
          for (int u : into[passed.poll()]) {
            if (--waiting[u] == 0) {
              if (u < n) {
                ready.add(u);
              } else {
                passed.add(u);
              }
            }
          }
        }
        if (ready.isEmpty()) {
          break;
        }
        int v = ready.poll();
        order[size++] = v;
        placed[v] = true;
        passed.add(v);
      }
      for (int v = 0; v < n && size < n; v++) {
        if (!placed[v]) {
          order[size++] = v;
        }
      }
      return order;
    }

    /** Each release's direct dependencies, tags spelled out, as ascending positions in order. */
    private int[][] expand(int[][] out, int n, int[] order) {
      int[] positionOf = new int[n];
      for (int p = 0; p < n; p++) {
        positionOf[order[p]] = p;
      }
      int[] stamp = new int[n];
      Arrays.fill(stamp, -1);
      int[][] deps = new int[n][];
      for (int p = 0; p < n; p++) {
        int id = order[p];
        stamp[id] = id;
        IntList list = new IntList();
        for (int w : out[id]) {
          if (w < n) {
            if (stamp[w] != id) {
              stamp[w] = id;
              list.add(positionOf[w]);
            }
          } else {
            for (int m : out[w]) {
              if (stamp[m] != id) {
                stamp[m] = id;
                list.add(positionOf[m]);
              }
            }
          }
        }
        deps[p] = list.toArray();
        Arrays.sort(deps[p]);
      }
      return deps;
    }
  }

  /** A growable array of ints. */
  private static final class IntList {
    int[] items = new int[4];
    int size;

    void add(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }

  /**
   * The same releases with every dependency turned around, for {@code down} and {@code rollback}: a
   * release comes before the releases it depends on.
   */
  public ReleaseGraph reversed() {
    int n = releases.size();
    List<Release> backwards = new ArrayList<>(releases);
    java.util.Collections.reverse(backwards);
    int[][] turned = new int[n][];
    for (int p = 0; p < n; p++) {
      int[] was = dependents[n - 1 - p];
      int[] now = new int[was.length];
      for (int i = 0; i < was.length; i++) {
        now[was.length - 1 - i] = n - 1 - was[i];
      }
      turned[p] = now;
    }
    return new ReleaseGraph(backwards, turned, checkedEdges, !reversed);
  }

  /**
   * Whether this graph was turned around by {@link #reversed()}: an edge then leads from a release
   * to one that depends on it, and words for users say "dependent" where they said "dependency".
   */
  public boolean isReversed() {
    return reversed;
  }

  /** The releases, each after all it depends on. */
  public List<Release> releases() {
    return releases;
  }

  public int size() {
    return releases.size();
  }

  public Release release(String uniqueName) {
    Integer p = position.get(uniqueName);
    if (p == null) {
      throw new IllegalArgumentException("no release " + uniqueName + " in this graph");
    }
    return releases.get(p);
  }

  private int positionOf(Release release) {
    return position.get(release.uniqueName());
  }

  /** What a release depends on directly, in topological order. */
  public List<Release> dependenciesOf(Release release) {
    return Arrays.stream(dependencies[positionOf(release)]).mapToObj(releases::get).toList();
  }

  /** The releases that depend on this one directly, in topological order. */
  public List<Release> dependentsOf(Release release) {
    return Arrays.stream(dependents[positionOf(release)]).mapToObj(releases::get).toList();
  }

  /** Direct dependencies between releases, a tag spelled out as every release that carries it. */
  public int edgeCount() {
    long sum = 0;
    for (int[] deps : dependencies) {
      sum += deps.length;
    }
    return (int) Math.min(sum, Integer.MAX_VALUE);
  }

  /**
   * The edges of the graph the checks ran on, with one node per tag: about the size of the plan's
   * {@code tags} and {@code depends_on}, however many dependencies the tags stand for.
   */
  long checkedEdgeCount() {
    return checkedEdges;
  }

  /**
   * The releases a selection picks. With dependencies included, everything they depend on comes
   * along; without, the selected releases keep their order through releases left out.
   */
  public ReleaseGraph select(Selection selection) {
    if (selection.tags().isEmpty() && selection.names().isEmpty()) {
      return this;
    }
    int n = releases.size();
    boolean[] chosen = new boolean[n];
    for (int p = 0; p < n; p++) {
      Release r = releases.get(p);
      boolean tagged =
          selection.tags().isEmpty()
              || (selection.matchAllTags()
                  ? r.tags().containsAll(selection.tags())
                  : selection.tags().stream().anyMatch(r::hasTag));
      boolean named =
          selection.names().isEmpty() || selection.names().stream().anyMatch(r::isNamed);
      chosen[p] = tagged && named;
    }
    if (selection.includeDependencies()) {
      // Dependencies come before their dependents, so one pass from the end closes the set.
      for (int p = n - 1; p >= 0; p--) {
        if (chosen[p]) {
          for (int d : dependencies[p]) {
            chosen[d] = true;
          }
        }
      }
    }
    int[] rank = new int[n];
    List<Release> kept = new ArrayList<>();
    for (int p = 0; p < n; p++) {
      rank[p] = chosen[p] ? kept.size() : -1;
      if (chosen[p]) {
        kept.add(releases.get(p));
      }
    }
    int[][] deps = new int[kept.size()][];
    if (selection.includeDependencies()) {
      for (int p = 0; p < n; p++) {
        if (chosen[p]) {
          deps[rank[p]] = Arrays.stream(dependencies[p]).map(d -> rank[d]).toArray();
        }
      }
    } else {
      // For each release left out, the chosen releases it reaches through releases left out; in
      // topological order, each from those of its own dependencies.
      BitSet[] reach = new BitSet[n];
      for (int p = 0; p < n; p++) {
        BitSet found = new BitSet(kept.size());
        for (int d : dependencies[p]) {
          if (chosen[d]) {
            found.set(rank[d]);
          } else {
            found.or(reach[d]);
          }
        }
        if (chosen[p]) {
          deps[rank[p]] = found.stream().toArray();
        } else {
          reach[p] = found;
        }
      }
    }
    return new ReleaseGraph(kept, deps, checkedEdges, reversed);
  }
}
