package dev.deployer.core.diff;

/**
 * How one resource changed.
 *
 * @param unifiedDiff the change in unified format, Secret values redacted unless asked otherwise;
 *     empty when unchanged
 */
public record ResourceDiff(String key, Change change, String unifiedDiff) {}
