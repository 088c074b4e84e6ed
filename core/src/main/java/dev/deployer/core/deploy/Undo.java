package dev.deployer.core.deploy;

import dev.deployer.core.outcome.Outcome;

/**
 * How a release of an {@code up} run was undone after it deployed (by a failed monitor or {@code
 * --rollback-on-failure plan}), or why undoing it failed.
 *
 * @param failed the undo did not happen as asked: the run does not succeed
 */
record Undo(Outcome outcome, String note, boolean failed) {}
