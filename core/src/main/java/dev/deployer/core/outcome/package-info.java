/**
 * How a release and a monitor ended, typed from the scheduler to the command line's rendering:
 * {@link dev.deployer.core.outcome.Outcome} and {@link dev.deployer.core.outcome.MonitorOutcome}.
 * Their {@code word()} is the only place an outcome becomes text. Depends on nothing else in core.
 */
package dev.deployer.core.outcome;
