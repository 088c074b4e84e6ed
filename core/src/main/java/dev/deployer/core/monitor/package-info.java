/**
 * Monitors: post-deploy checks. A {@link dev.deployer.core.monitor.Probe} checks once; the runner
 * repeats it every interval and decides by streaks and timeouts; actions roll back or uninstall the
 * releases of a failed monitor.
 */
package dev.deployer.core.monitor;
