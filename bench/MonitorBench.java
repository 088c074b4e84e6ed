// The monitor runner with many monitors at once: CPU time per probe and how far probe starts drift
// from their schedule (start + k × interval), against a naive one-thread-per-monitor loop
// (probe; Thread.sleep(interval)) in the same run.
// Run with bench/monitor-bench.sh; arguments: [--monitors 500] [--interval-ms 1000]
// [--duration 60] (seconds per phase) [--warmup 5] (seconds per phase, not counted)
// [--threads 16] (probe pool of the runner) [--spread] (start the monitors one by one over the
// first interval, as releases finishing at different times would, instead of all at once).

import dev.deployer.core.deploy.Cancellation;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.monitor.MonitorRunner;
import dev.deployer.core.monitor.ProbeResult;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Monitor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

public class MonitorBench {
  static final byte[] PAYLOAD = new byte[4096];

  public static void main(String[] args) throws Exception {
    int monitors = 500;
    long intervalMillis = 1000;
    int durationSeconds = 60;
    int warmupSeconds = 5;
    int threads = MonitorRunner.DEFAULT_PROBE_THREADS;
    boolean spread = false;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--monitors" -> monitors = Integer.parseInt(args[i + 1]);
        case "--interval-ms" -> intervalMillis = Long.parseLong(args[i + 1]);
        case "--duration" -> durationSeconds = Integer.parseInt(args[i + 1]);
        case "--warmup" -> warmupSeconds = Integer.parseInt(args[i + 1]);
        case "--threads" -> threads = Integer.parseInt(args[i + 1]);
        case "--spread" -> {
          spread = true;
          i--;
        }
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    System.out.printf(
        "%d monitors, interval %d ms, %d s per phase (after %d s warm-up), %d cores, Java %s%n",
        monitors,
        intervalMillis,
        durationSeconds,
        warmupSeconds,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.printf(
        "probe: CRC32 of 4 KiB in process; %s%n",
        spread
            ? "monitors start one by one, spread over the first interval"
            : "all monitors start together (a burst every interval)");
    System.out.printf("runner probe pool: %d threads%n%n", threads);
    if (warmupSeconds > 0) {
      runner(monitors, intervalMillis, warmupSeconds, threads, spread);
      naive(monitors, intervalMillis, warmupSeconds, spread);
    }
    System.out.printf(
        "%-8s %8s %8s %11s %9s %9s %9s %9s%n",
        "policy", "probes", "threads", "cpu µs/pr", "drift p50", "p99 ms", "max ms", "last-s p50");
    print("runner", runner(monitors, intervalMillis, durationSeconds, threads, spread));
    print("naive", naive(monitors, intervalMillis, durationSeconds, spread));
  }

  /** What one phase measured. */
  record Phase(long probes, long cpuNanos, int peakThreads, long[] drifts, long[] lastDrifts) {}

  static void print(String policy, Phase phase) {
    System.out.printf(
        "%-8s %8d %8d %11.1f %9.2f %9.2f %9.2f %9.2f%n",
        policy,
        phase.probes,
        phase.peakThreads,
        phase.cpuNanos / 1000.0 / Math.max(1, phase.probes),
        percentile(phase.drifts, 0.50),
        percentile(phase.drifts, 0.99),
        percentile(phase.drifts, 1.0),
        percentile(phase.lastDrifts, 0.50));
  }

  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
  }

  /** Every probe's start minus its scheduled start, in nanoseconds; one recorder per monitor. */
  static final class Schedule {
    final long first;
    final long intervalNanos;
    final long[] drifts;
    int count;

    Schedule(long first, long intervalNanos, int capacity) {
      this.first = first;
      this.intervalNanos = intervalNanos;
      this.drifts = new long[capacity];
    }

    // Never called twice at once for one monitor, by either policy.
    synchronized void started(long now) {
      if (count < drifts.length) {
        drifts[count] = now - (first + count * intervalNanos);
      }
      count++;
    }
  }

  static ProbeResult cheapProbe() {
    CRC32 crc = new CRC32();
    crc.update(PAYLOAD);
    return ProbeResult.success(Long.toHexString(crc.getValue()));
  }

  /** When monitor {@code i} starts, in nanoseconds after {@code base}. */
  static long startOffset(int i, int monitors, long intervalMillis, boolean spread) {
    return spread ? TimeUnit.MILLISECONDS.toNanos(intervalMillis) * i / monitors : 0;
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  static Phase runner(int monitors, long intervalMillis, int seconds, int threads, boolean spread)
      throws Exception {
    Monitor monitor =
        new Monitor(
            "bench",
            Monitor.Type.KUBERNETES,
            Duration.ofMillis(intervalMillis),
            Duration.ofMillis(intervalMillis),
            Duration.ofSeconds(seconds + 60L),
            Integer.MAX_VALUE,
            Integer.MAX_VALUE,
            new Monitor.KubernetesProbe(0, true, Duration.ofMinutes(5)),
            Location.of(Path.of("bench.yml")));
    int capacity = (int) (seconds * 1000L / intervalMillis) + 5;
    List<Schedule> schedules = new ArrayList<>();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    threadBean.resetPeakThreadCount();
    int baseThreads = threadBean.getThreadCount();
    long cpuBefore = processCpuNanos();
    try (MonitorRunner runner = new MonitorRunner(threads, new Cancellation())) {
      long base = System.nanoTime();
      for (int i = 0; i < monitors; i++) {
        sleepUntil(base + startOffset(i, monitors, intervalMillis, spread));
        Schedule schedule =
            new Schedule(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(intervalMillis), capacity);
        schedules.add(schedule);
        runner.start(
            monitor,
            () -> {
              schedule.started(System.nanoTime());
              return cheapProbe();
            },
            EventListener.NONE);
      }
      sleepUntil(base + TimeUnit.SECONDS.toNanos(seconds));
      runner.cancel("benchmark over");
    }
    long cpu = processCpuNanos() - cpuBefore;
    return phase(schedules, cpu, threadBean.getPeakThreadCount() - baseThreads);
  }

  static Phase naive(int monitors, long intervalMillis, int seconds, boolean spread)
      throws Exception {
    int capacity = (int) (seconds * 1000L / intervalMillis) + 5;
    List<Schedule> schedules = new ArrayList<>();
    List<Thread> loops = new ArrayList<>();
    ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
    threadBean.resetPeakThreadCount();
    int baseThreads = threadBean.getThreadCount();
    long cpuBefore = processCpuNanos();
    long base = System.nanoTime();
    long end = base + TimeUnit.SECONDS.toNanos(seconds);
    for (int i = 0; i < monitors; i++) {
      sleepUntil(base + startOffset(i, monitors, intervalMillis, spread));
      Schedule schedule =
          new Schedule(System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(intervalMillis), capacity);
      schedules.add(schedule);
      Thread loop =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    schedule.started(System.nanoTime());
                    cheapProbe();
                    Thread.sleep(intervalMillis);
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "naive-monitor-" + i);
      loop.setDaemon(true);
      loops.add(loop);
      loop.start();
    }
    for (Thread loop : loops) {
      loop.join();
    }
    long cpu = processCpuNanos() - cpuBefore;
    return phase(schedules, cpu, threadBean.getPeakThreadCount() - baseThreads);
  }

  static Phase phase(List<Schedule> schedules, long cpuNanos, int peakThreads) {
    long probes = 0;
    List<Long> all = new ArrayList<>();
    List<Long> last = new ArrayList<>();
    for (Schedule s : schedules) {
      synchronized (s) {
        int n = Math.min(s.count, s.drifts.length);
        probes += s.count;
        for (int i = 0; i < n; i++) {
          all.add(s.drifts[i]);
        }
        if (n > 0) {
          last.add(s.drifts[n - 1]);
        }
      }
    }
    long[] drifts = all.stream().mapToLong(Long::longValue).sorted().toArray();
    long[] lastDrifts = last.stream().mapToLong(Long::longValue).sorted().toArray();
    return new Phase(probes, cpuNanos, peakThreads, drifts, lastDrifts);
  }

  static long processCpuNanos() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    throw new IllegalStateException("process CPU time is not available on this JVM");
  }

  static {
    Arrays.fill(PAYLOAD, (byte) 7);
  }
}
