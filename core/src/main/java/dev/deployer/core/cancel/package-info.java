/**
 * Stopping a run on Ctrl-C or SIGTERM: {@link dev.deployer.core.cancel.Cancellation}, one token
 * that the deploy scheduler, the monitor runner and the Helm engine all listen to. It lives apart
 * so that {@code deploy} and {@code monitor} can share it without depending on each other.
 */
package dev.deployer.core.cancel;
