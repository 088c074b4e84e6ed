/**
 * Monitors: post-deploy checks and the runner that repeats them. It knows nothing of deploying;
 * {@code deploy} starts monitors and acts on their results (rollback, uninstall).
 *
 * <ul>
 *   <li>{@link dev.deployer.core.monitor.Probe}: one check, giving a {@link
 *       dev.deployer.core.monitor.ProbeResult} (success, failure, or error when the backend could
 *       not be asked). One implementation per monitor type: {@link
 *       dev.deployer.core.monitor.PrometheusQueryProbe}, {@link
 *       dev.deployer.core.monitor.HttpRequestProbe}, {@link
 *       dev.deployer.core.monitor.ElasticsearchCountProbe}, {@link
 *       dev.deployer.core.monitor.SentryEventsProbe}, {@link
 *       dev.deployer.core.monitor.PodHealthProbe}; HTTP clients come from {@code http}.
 *   <li>{@link dev.deployer.core.monitor.Probes}: makes the probe of a plan monitor, or of {@code
 *       deployer monitor}'s watch, from the settings in {@link dev.deployer.core.plan.Monitor}.
 *   <li>{@link dev.deployer.core.monitor.MonitorRunner} and {@link
 *       dev.deployer.core.monitor.MonitorRun}: each monitor probed every interval, decided by
 *       streaks and timeouts into a {@link dev.deployer.core.monitor.MonitorResult} with a {@link
 *       dev.deployer.core.outcome.MonitorOutcome}; stopped by a {@link
 *       dev.deployer.core.cancel.Cancellation}; time from a {@link dev.deployer.core.monitor.Timer}
 *       so tests need not sleep.
 * </ul>
 */
package dev.deployer.core.monitor;
