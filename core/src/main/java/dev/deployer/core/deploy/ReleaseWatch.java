package dev.deployer.core.deploy;

import dev.deployer.core.cancel.Cancellation;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.monitor.MonitorResult;
import dev.deployer.core.monitor.MonitorRunner;
import dev.deployer.core.monitor.Probe;
import dev.deployer.core.monitor.ProbeResult;
import dev.deployer.core.outcome.Outcome;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

/**
 * Watches one deployed release, as the helm-monitor plugin does: a probe every interval until the
 * timeout; the first failed probe rolls the release back to its previous revision. A probe that
 * cannot reach its backend is an error: {@link #ERRORS_TOLERATED} in a row end the watch {@code
 * error}, without a rollback, as helm-monitor stops on an error it cannot query through.
 */
public final class ReleaseWatch {
  /** Consecutive errors that end a watch: one unreachable moment is not yet a broken backend. */
  public static final int ERRORS_TOLERATED = Monitor.DEFAULT_THRESHOLD;

  private final Cluster cluster;

  public ReleaseWatch(Cluster cluster) {
    this.cluster = cluster;
  }

  /** How a watch ended. */
  public enum Verdict {
    /** Nothing was found until the timeout. */
    HEALTHY,
    /** A probe found the release unhealthy, and it was rolled back. */
    ROLLED_BACK,
    /** A probe found the release unhealthy, and rolling it back failed. */
    ROLLBACK_FAILED,
    /**
     * The backend could not be queried: {@link #ERRORS_TOLERATED} errors in a row, or an error as
     * the last query before the timeout; the release is left alone.
     */
    ERROR,
    /** The watch was interrupted. */
    CANCELLED;

    /** The word users see: {@code healthy}, {@code rolled back}, ... */
    public String word() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * @param failure why the rollback failed, for {@link Verdict#ROLLBACK_FAILED}
   */
  public record Result(
      String release,
      Verdict verdict,
      int probes,
      String lastResult,
      Optional<Integer> revision,
      Optional<String> failure) {
    Result(String release, Verdict verdict, int probes, String lastResult) {
      this(release, verdict, probes, lastResult, Optional.empty(), Optional.empty());
    }

    public boolean healthy() {
      return verdict == Verdict.HEALTHY;
    }

    /** The outcome as users read it: {@code healthy}, {@code rollback failed: ...}. */
    public String outcome() {
      return verdict.word() + failure.map(f -> ": " + f).orElse("");
    }
  }

  /**
   * How long one query may take: 10s (as a monitor's default {@code iteration_timeout}), or the
   * whole watch when that is shorter. A query that takes longer counts as a failed probe.
   */
  public static Duration probeTimeout(Duration timeout) {
    Duration usual = Monitor.DEFAULT_ITERATION_TIMEOUT;
    return usual.compareTo(timeout) < 0 ? usual : timeout;
  }

  public Result watch(
      Release release,
      String name,
      Probe probe,
      Duration interval,
      Duration timeout,
      EventListener listener,
      Cancellation cancellation) {
    Duration iteration = probeTimeout(timeout);
    // Never passes by successes: only the first failed probe or the end of the watch ends it.
    Monitor monitor =
        Monitor.of(name, new Monitor.KubernetesProbe(0, false, Duration.ZERO), release.location())
            .withInterval(interval)
            .withTimeouts(iteration.compareTo(timeout) < 0 ? iteration : timeout, timeout)
            .withThresholds(Integer.MAX_VALUE, 1)
            .withOnError(Monitor.OnError.ERROR);
    MonitorResult result;
    try (MonitorRunner runner = new MonitorRunner(cancellation)) {
      result = runner.start(monitor, probe, listener, ERRORS_TOLERATED).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(release.uniqueName(), Verdict.CANCELLED, 0, "");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    String last = result.lastResult().map(ProbeResult::detail).orElse("");
    if (result.outcome() == dev.deployer.core.outcome.MonitorOutcome.CANCELLED) {
      return new Result(release.uniqueName(), Verdict.CANCELLED, result.probes(), last);
    }
    if (result.lastResult().map(ProbeResult::error).orElse(false)) {
      // Nothing is known about the release: never roll back on what could not be asked.
      return new Result(release.uniqueName(), Verdict.ERROR, result.probes(), last);
    }
    boolean found = result.lastResult().map(r -> !r.success()).orElse(false);
    if (!found) {
      return new Result(release.uniqueName(), Verdict.HEALTHY, result.probes(), last);
    }
    // The rollback is told as it starts and ends, as up tells a monitor's action.
    String why = "monitor " + name + " failed";
    listener.on(new Event.MonitorActionStarted(release.uniqueName(), "rollback", why));
    long start = System.nanoTime();
    try {
      int revision =
          new Rollback(cluster).toLastGood(release, dev.deployer.core.helm.Operation.NONE);
      listener.on(
          new Event.MonitorActionFinished(
              release.uniqueName(),
              "rollback",
              Outcome.ROLLED_BACK,
              Optional.of(revision),
              Duration.ofNanos(System.nanoTime() - start),
              Optional.empty()));
      return new Result(
          release.uniqueName(),
          Verdict.ROLLED_BACK,
          result.probes(),
          last,
          Optional.of(revision),
          Optional.empty());
    } catch (RuntimeException e) {
      listener.on(
          new Event.MonitorActionFinished(
              release.uniqueName(),
              "rollback",
              Outcome.FAILED,
              Optional.empty(),
              Duration.ofNanos(System.nanoTime() - start),
              Optional.of("rollback failed: " + e.getMessage())));
      return new Result(
          release.uniqueName(),
          Verdict.ROLLBACK_FAILED,
          result.probes(),
          last,
          Optional.empty(),
          Optional.of(String.valueOf(e.getMessage())));
    }
  }
}
