package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code down} and {@code rollback}: a change run on every selected release in reverse dependency
 * order (each after the releases that depend on it), under its lock and between its hooks; or, as a
 * dry run, what that change would do.
 */
@SuppressWarnings("try") // a lock is held for its block, not used in it
final class ReverseRun {
  private final Cluster cluster;
  private final HookRunner hooks;

  ReverseRun(Cluster cluster, HookRunner hooks) {
    this.cluster = cluster;
    this.hooks = hooks;
  }

  /** What a dry run says of one release. */
  record Would(Outcome outcome, String reason) {}

  /** What a dry run of {@code down} or {@code rollback} says of one installed release. */
  @FunctionalInterface
  interface ReverseDryRun {
    Would of(Release release, ReleaseRevision live);
  }

  /** A dry run of {@code down} or {@code rollback}: dependents first, nothing changed. */
  RunReport dryRun(
      String command, LoadedPlan loaded, Cancellation cancellation, ReverseDryRun would) {
    List<ReleaseReport> lines = new ArrayList<>();
    for (Release r : loaded.graph().reversed().releases()) {
      if (cancellation.isCancelled()) {
        break;
      }
      Optional<ReleaseRevision> live = cluster.latest(r);
      Would w =
          live.isEmpty()
              ? new Would(Outcome.NOT_INSTALLED, "nothing to do")
              : would.of(r, live.get());
      lines.add(
          new ReleaseReport(
              r.uniqueName(),
              w.outcome(),
              live.map(ReleaseRevision::revision),
              Optional.empty(),
              Duration.ZERO,
              Optional.of(w.reason())));
    }
    boolean ok = lines.stream().noneMatch(l -> l.outcome() == Outcome.FAILED);
    return new RunReport(
        command + " --dry-run", lines, ok, cancellation.isCancelled(), List.of(), List.of());
  }

  /** What {@code down} or {@code rollback} does to one installed release: its new revision. */
  @FunctionalInterface
  interface ReleaseChange {
    Optional<Integer> apply(Release release);
  }

  /**
   * Runs {@code change} on every selected release, each after the releases that depend on it, under
   * its lock and between its hooks.
   *
   * @param done what a release whose change ran ends as, as the command's verb says ({@code
   *     uninstalled}, {@code rolled back}); in the progress events and in the report alike
   * @param notInstalled the failure for a release that is not installed; empty when that is fine
   *     (it ends {@code not installed})
   */
  RunReport run(
      String command,
      LoadedPlan loaded,
      Lifecycle.Phase pre,
      Lifecycle.Phase post,
      ReleaseChange change,
      Outcome done,
      Optional<String> notInstalled,
      int parallelLimit,
      Duration lockTimeout,
      EventListener listener,
      Cancellation cancellation) {
    hooks.run(loaded.plan().lifecycle(), pre, Optional.empty(), listener);
    Map<String, Integer> before = new ConcurrentHashMap<>();
    Map<String, Integer> after = new ConcurrentHashMap<>();
    ScheduleResult result =
        ReleaseScheduler.create(parallelLimit)
            .run(
                loaded.graph().reversed(),
                r -> {
                  try (Cluster.Lock lock = cluster.lock(r, lockTimeout)) {
                    Optional<ReleaseRevision> live = cluster.latest(r);
                    if (live.isEmpty()) {
                      return notInstalled
                          .map(TaskResult::failed)
                          .orElseGet(() -> TaskResult.of(Outcome.NOT_INSTALLED));
                    }
                    before.put(r.uniqueName(), live.get().revision());
                    hooks.run(r.lifecycle(), pre, Optional.of(r), listener);
                    change.apply(r).ifPresent(revision -> after.put(r.uniqueName(), revision));
                    hooks.run(r.lifecycle(), post, Optional.of(r), listener);
                    return TaskResult.of(done);
                  }
                },
                listener,
                cancellation);
    RunReport report =
        RunReports.report(
            command,
            result,
            result.cancelled() || cancellation.isCancelled(),
            before,
            after,
            Map.of(),
            List.of(),
            Map.of());
    if (report.succeeded()) {
      hooks.run(loaded.plan().lifecycle(), post, Optional.empty(), listener);
    }
    return report;
  }
}
