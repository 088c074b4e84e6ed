package dev.deployer.core.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * One line of the report at the end of a run.
 *
 * @param outcome what the user sees: deployed, unchanged, failed, skipped, cancelled, rolled back,
 *     uninstalled
 */
public record ReleaseReport(
    String release,
    String outcome,
    Optional<Integer> revisionBefore,
    Optional<Integer> revisionAfter,
    Duration duration,
    Optional<String> reason) {}
