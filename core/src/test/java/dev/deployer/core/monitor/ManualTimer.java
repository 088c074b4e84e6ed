package dev.deployer.core.monitor;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * Time that moves only when a test says so. {@link #advance} runs the tasks that come due, in order
 * of due time, on the caller's thread, with the clock set to each task's due time.
 */
final class ManualTimer implements Timer {
  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(
          (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private long now = 1_000_000_000L;
  private long order;

  private static final class Task {
    final long due;
    final long order;
    final Runnable action;
    boolean cancelled;

    Task(long due, long order, Runnable action) {
      this.due = due;
      this.order = order;
      this.action = action;
    }
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized Scheduled schedule(Runnable action, long delayNanos) {
    Task task = new Task(now + Math.max(0, delayNanos), order++, action);
    tasks.add(task);
    return () -> {
      synchronized (this) {
        task.cancelled = true;
      }
    };
  }

  /** Moves the clock forward, running each task that comes due on the way. */
  void advance(Duration by) {
    long target;
    synchronized (this) {
      target = now + by.toNanos();
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          now = Math.max(now, target);
          return;
        }
        tasks.poll();
        if (next.cancelled) {
          continue;
        }
        now = Math.max(now, next.due);
      }
      next.action.run();
    }
  }

  /** Time since this timer was made, for checking when things happened. */
  synchronized Duration elapsed() {
    return Duration.ofNanos(now - 1_000_000_000L);
  }

  @Override
  public synchronized void close() {
    tasks.clear();
  }
}
