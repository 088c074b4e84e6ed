package dev.deployer.core.deploy;

import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A release task for tests: deploys every release unless told otherwise, and keeps a journal of
 * when each task started and ended, and how many ran at once.
 */
final class ScriptedTask implements ReleaseTask {
  /** How long a scripted step waits for a latch before giving up, so that no test hangs. */
  static final long PATIENCE_SECONDS = 10;

  @FunctionalInterface
  interface Step {
    TaskResult run(Release release) throws Exception;
  }

  private final Map<String, Step> steps = new ConcurrentHashMap<>();
  private final List<String> journal = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger mostRunning = new AtomicInteger();
  private final Set<String> interrupted = ConcurrentHashMap.newKeySet();

  ScriptedTask on(String release, Step step) {
    steps.put(release, step);
    return this;
  }

  ScriptedTask failing(String release, String reason) {
    return on(release, r -> TaskResult.failed(reason));
  }

  /** The release's task waits for {@code latch}, and fails if it waits too long. */
  ScriptedTask waitingFor(String release, CountDownLatch latch) {
    return on(release, r -> await(latch, release));
  }

  static TaskResult await(CountDownLatch latch, String who) throws InterruptedException {
    return latch.await(PATIENCE_SECONDS, TimeUnit.SECONDS)
        ? TaskResult.deployed()
        : TaskResult.failed(who + " waited in vain");
  }

  @Override
  public TaskResult run(Release release) throws Exception {
    String name = release.uniqueName();
    note("start " + name);
    mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
    try {
      return steps.getOrDefault(name, r -> TaskResult.deployed()).run(release);
    } finally {
      if (Thread.currentThread().isInterrupted()) {
        interrupted.add(name);
      }
      running.decrementAndGet();
      note("end " + name);
    }
  }

  private void note(String line) {
    synchronized (journal) {
      journal.add(line);
    }
  }

  /** "start NAME" and "end NAME" lines, in the order the tasks really started and ended. */
  List<String> journal() {
    synchronized (journal) {
      return List.copyOf(journal);
    }
  }

  int mostRunningAtOnce() {
    return mostRunning.get();
  }

  /** Releases whose task found its thread interrupted. */
  Set<String> interrupted() {
    return Set.copyOf(interrupted);
  }
}
