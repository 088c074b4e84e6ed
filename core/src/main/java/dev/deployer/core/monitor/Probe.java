package dev.deployer.core.monitor;

/**
 * One check of a monitor: a Prometheus query, an HTTP call, a document count, a pod inspection.
 * Implementations must be thread-safe (many monitors probe at once) and must not retry: the runner
 * decides by streaks. A probe that throws, or does not answer within the monitor's {@code
 * iteration_timeout}, counts as failed.
 */
@FunctionalInterface
public interface Probe {

  /** Checks once. */
  ProbeResult probe() throws Exception;
}
