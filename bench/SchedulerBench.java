// How close `deployer up`'s scheduler comes to a DAG's critical path, against a layer-by-layer
// schedule (each layer waits for the whole previous one, as helmfile does), in one run.
// Run with bench/schedule-bench.sh; arguments: [--seeds 1,2] [--limits 0,8] [--releases 240]
// [--repeats 2] (each wall time is the best of that many runs).

import dev.deployer.core.Plans;
import dev.deployer.core.deploy.ReleaseScheduler;
import dev.deployer.core.deploy.ScheduleResult;
import dev.deployer.core.deploy.TaskResult;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.plan.Release;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

public class SchedulerBench {
  static final int MIN_MILLIS = 20;
  static final int MAX_MILLIS = 200;

  public static void main(String[] args) throws Exception {
    List<Integer> seeds = List.of(1, 2);
    List<Integer> limits = List.of(0, 8);
    int releases = 240;
    int repeats = 2;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--seeds" -> seeds = ints(args[i + 1]);
        case "--limits" -> limits = ints(args[i + 1]);
        case "--releases" -> releases = Integer.parseInt(args[i + 1]);
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Path work = Files.createTempDirectory("scheduler-bench");
    try {
      warmUp(work);
      System.out.printf(
          "%d releases per graph; simulated Helm: each release sleeps %d-%d ms (seeded); %d"
              + " cores%n",
          releases, MIN_MILLIS, MAX_MILLIS, Runtime.getRuntime().availableProcessors());
      System.out.printf(
          "bound (b) = critical path; under a limit, max(critical path, total work / limit)%n");
      System.out.printf(
          "ms = best of %d runs; sim = the same policy simulated with zero overhead%n%n", repeats);
      System.out.printf(
          "%-8s %4s %5s %5s %5s %8s %7s %7s %7s %8s %7s %7s%n",
          "shape",
          "seed",
          "edges",
          "depth",
          "limit",
          "bound ms",
          "dag ms",
          "dag÷b",
          "sim÷b",
          "layer ms",
          "layer÷b",
          "sim÷b");
      List<double[]> worst = new ArrayList<>();
      for (String shape : List.of("random", "layered", "chains", "deep")) {
        for (int seed : seeds) {
          ReleaseGraph graph = load(work, shape, generate(shape, releases, new Random(seed)));
          Map<String, Long> millis = durations(graph, new Random(seed * 7919L));
          for (int limit : limits) {
            Row row = measure(graph, millis, limit, repeats);
            System.out.printf(
                "%-8s %4d %5d %5d %5s %8d %7d %7.3f %7.3f %8d %7.3f %7.3f%n",
                shape,
                seed,
                graph.edgeCount(),
                row.depth,
                limit == 0 ? "none" : String.valueOf(limit),
                row.bound,
                row.dag,
                (double) row.dag / row.bound,
                (double) row.dagIdeal / row.bound,
                row.layered,
                (double) row.layered / row.bound,
                (double) row.layeredIdeal / row.bound);
            worst.add(
                new double[] {
                  limit, (double) row.dag / row.bound, (double) row.layered / row.bound
                });
          }
        }
      }
      System.out.println();
      for (int limit : limits) {
        double dag =
            worst.stream().filter(w -> w[0] == limit).mapToDouble(w -> w[1]).max().orElse(0);
        double layered =
            worst.stream().filter(w -> w[0] == limit).mapToDouble(w -> w[2]).max().orElse(0);
        System.out.printf(
            "limit %s: worst dag ÷ bound %.3f, worst layer-by-layer ÷ bound %.3f%n",
            limit == 0 ? "none" : String.valueOf(limit), dag, layered);
      }
    } finally {
      try (var files = Files.walk(work)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  record Row(int depth, long bound, long dag, long dagIdeal, long layered, long layeredIdeal) {}

  static Row measure(ReleaseGraph graph, Map<String, Long> millis, int limit, int repeats)
      throws Exception {
    Map<String, Long> finish = new HashMap<>();
    Map<String, Integer> depth = new HashMap<>();
    long criticalPath = 0;
    long work = 0;
    int maxDepth = 0;
    for (Release r : graph.releases()) {
      long start = 0;
      int d = 0;
      for (Release dep : graph.dependenciesOf(r)) {
        start = Math.max(start, finish.get(dep.uniqueName()));
        d = Math.max(d, depth.get(dep.uniqueName()) + 1);
      }
      finish.put(r.uniqueName(), start + millis.get(r.uniqueName()));
      depth.put(r.uniqueName(), d);
      criticalPath = Math.max(criticalPath, finish.get(r.uniqueName()));
      work += millis.get(r.uniqueName());
      maxDepth = Math.max(maxDepth, d + 1);
    }
    long bound = limit == 0 ? criticalPath : Math.max(criticalPath, (work + limit - 1) / limit);

    List<List<Release>> layers = layers(graph, depth, maxDepth);
    long dag = Long.MAX_VALUE;
    long layered = Long.MAX_VALUE;
    for (int i = 0; i < repeats; i++) {
      dag = Math.min(dag, scheduler(graph, new SimulatedHelm(millis), limit));
      layered = Math.min(layered, layerByLayer(layers, new SimulatedHelm(millis), limit));
    }
    return new Row(
        maxDepth,
        bound,
        dag,
        schedulerIdeal(graph, millis, limit),
        layered,
        layerByLayerIdeal(layers, millis, limit));
  }

  /** deployer's scheduler: each release starts once what it depends on is done. */
  static long scheduler(ReleaseGraph graph, SimulatedHelm helm, int limit) {
    long begin = System.nanoTime();
    ScheduleResult result =
        ReleaseScheduler.create(limit).run(graph, helm::upgrade, EventListener.NONE);
    long took = (System.nanoTime() - begin) / 1_000_000;
    if (!result.succeeded() || helm.upgrades() != graph.size()) {
      throw new IllegalStateException("the simulated deploy failed: " + result.releases());
    }
    return took;
  }

  /**
   * What the scheduler's policy takes with no overhead: a release starts when its dependencies are
   * done and a slot is free, releases ready together in graph order.
   */
  static long schedulerIdeal(ReleaseGraph graph, Map<String, Long> millis, int limit) {
    List<Release> releases = graph.releases();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < releases.size(); i++) {
      index.put(releases.get(i).uniqueName(), i);
    }
    int[] waiting = new int[releases.size()];
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < releases.size(); i++) {
      waiting[i] = graph.dependenciesOf(releases.get(i)).size();
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    // Running releases as {end time, index}, soonest first.
    PriorityQueue<long[]> running =
        new PriorityQueue<>(
            (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    long now = 0;
    while (true) {
      while (!ready.isEmpty() && (limit == 0 || running.size() < limit)) {
        int i = ready.poll();
        running.add(new long[] {now + millis.get(releases.get(i).uniqueName()), i});
      }
      if (running.isEmpty()) {
        return now;
      }
      now = running.peek()[0];
      while (!running.isEmpty() && running.peek()[0] == now) {
        Release done = releases.get((int) running.poll()[1]);
        for (Release d : graph.dependentsOf(done)) {
          if (--waiting[index.get(d.uniqueName())] == 0) {
            ready.add(index.get(d.uniqueName()));
          }
        }
      }
    }
  }

  /** The releases by depth: layer 0 depends on nothing, layer n on something in layer n-1. */
  static List<List<Release>> layers(ReleaseGraph graph, Map<String, Integer> depth, int layers) {
    List<List<Release>> byLayer = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      byLayer.add(new ArrayList<>());
    }
    graph.releases().forEach(r -> byLayer.get(depth.get(r.uniqueName())).add(r));
    return byLayer;
  }

  /** What the layer-by-layer schedule would take with no overhead at all: its inherent cost. */
  static long layerByLayerIdeal(List<List<Release>> layers, Map<String, Long> millis, int limit) {
    long total = 0;
    for (List<Release> layer : layers) {
      PriorityQueue<Long> slots = new PriorityQueue<>();
      for (int i = 0; i < (limit == 0 ? layer.size() : limit); i++) {
        slots.add(0L);
      }
      long end = 0;
      for (Release r : layer) {
        long done = slots.poll() + millis.get(r.uniqueName());
        slots.add(done);
        end = Math.max(end, done);
      }
      total += end;
    }
    return total;
  }

  /** helmfile's way: the releases of one layer run together, the next layer waits for them all. */
  static long layerByLayer(List<List<Release>> byLayer, SimulatedHelm helm, int limit)
      throws Exception {
    ExecutorService pool =
        limit == 0 ? Executors.newCachedThreadPool() : Executors.newFixedThreadPool(limit);
    try {
      long begin = System.nanoTime();
      for (List<Release> layer : byLayer) {
        List<Future<TaskResult>> running = new ArrayList<>();
        layer.forEach(r -> running.add(pool.submit(() -> helm.upgrade(r))));
        for (Future<TaskResult> f : running) {
          f.get();
        }
      }
      return (System.nanoTime() - begin) / 1_000_000;
    } finally {
      pool.shutdown();
    }
  }

  /** Stands in for Helm: an upgrade takes the release's known time and changes it. */
  static final class SimulatedHelm {
    private final Map<String, Long> millis;
    private final AtomicInteger upgrades = new AtomicInteger();

    SimulatedHelm(Map<String, Long> millis) {
      this.millis = millis;
    }

    TaskResult upgrade(Release release) throws InterruptedException {
      Thread.sleep(millis.get(release.uniqueName()));
      upgrades.incrementAndGet();
      return TaskResult.deployed();
    }

    int upgrades() {
      return upgrades.get();
    }
  }

  static Map<String, Long> durations(ReleaseGraph graph, Random random) {
    Map<String, Long> millis = new HashMap<>();
    for (Release r : graph.releases()) {
      millis.put(r.uniqueName(), (long) (MIN_MILLIS + random.nextInt(MAX_MILLIS - MIN_MILLIS + 1)));
    }
    return millis;
  }

  /** For each release r0..rN-1, the indexes of the earlier releases it depends on. */
  static List<TreeSet<Integer>> generate(String shape, int n, Random random) {
    List<TreeSet<Integer>> deps = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      deps.add(new TreeSet<>());
    }
    switch (shape) {
      case "random" -> {
        // Like bench/generate-plan.py: up to three dependencies on any of the 200 before.
        for (int i = 1; i < n; i++) {
          for (int k = random.nextInt(4); k > 0; k--) {
            deps.get(i).add(Math.max(0, i - 200) + random.nextInt(Math.min(i, 200)));
          }
        }
      }
      case "layered" -> {
        // Stacks of 20: each release depends on one to three of the stack below.
        int width = 20;
        for (int i = width; i < n; i++) {
          int below = (i / width - 1) * width;
          for (int k = 1 + random.nextInt(3); k > 0; k--) {
            deps.get(i).add(below + random.nextInt(width));
          }
        }
      }
      case "chains" -> {
        // Independent chains of 4 to 16 releases: teams deploying their own services in order.
        int i = 0;
        while (i < n) {
          int length = Math.min(n - i, 4 + random.nextInt(13));
          for (int k = 1; k < length; k++) {
            deps.get(i + k).add(i + k - 1);
          }
          i += length;
        }
      }
      case "deep" -> {
        // A long spine: each release depends on one or two of the sixteen before it.
        for (int i = 1; i < n; i++) {
          for (int k = 1 + random.nextInt(2); k > 0; k--) {
            deps.get(i).add(Math.max(0, i - 16) + random.nextInt(Math.min(i, 16)));
          }
        }
      }
      default -> throw new IllegalArgumentException("unknown shape " + shape);
    }
    return deps;
  }

  static ReleaseGraph load(Path work, String name, List<TreeSet<Integer>> deps) throws IOException {
    Path dir = work.resolve(name + "-" + System.nanoTime());
    Files.createDirectories(dir.resolve("chart"));
    Files.writeString(
        dir.resolve("chart/Chart.yaml"), "apiVersion: v2\nname: bench\nversion: 0.1.0\n");
    StringBuilder plan = new StringBuilder("project: bench\nreleases:\n");
    for (int i = 0; i < deps.size(); i++) {
      plan.append("  - {name: r").append(i).append(", namespace: bench, chart: ./chart");
      if (!deps.get(i).isEmpty()) {
        plan.append(", depends_on: [");
        plan.append(String.join(", ", deps.get(i).stream().map(d -> "r" + d + "@bench").toList()));
        plan.append("]");
      }
      plan.append("}\n");
    }
    Files.writeString(dir.resolve("deployer.yml"), plan);
    return Plans.load(dir.resolve("deployer.yml"), EventListener.NONE).graph();
  }

  /** Brings the JIT and the thread pools up to speed outside the measurements. */
  static void warmUp(Path work) throws Exception {
    ReleaseGraph graph = load(work, "warm-up", generate("random", 120, new Random(0)));
    Map<String, Long> millis = new HashMap<>();
    graph.releases().forEach(r -> millis.put(r.uniqueName(), 1L));
    measure(graph, millis, 0, 3);
    measure(graph, millis, 4, 3);
  }

  static List<Integer> ints(String csv) {
    return Arrays.stream(csv.split(",")).map(String::trim).map(Integer::parseInt).toList();
  }
}
