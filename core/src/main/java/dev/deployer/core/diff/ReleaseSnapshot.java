package dev.deployer.core.diff;

import java.util.Optional;

/** A release as one side of a diff sees it: from a plan directory or from the cluster. */
public record ReleaseSnapshot(
    String uniqueName, String namespace, Optional<String> chartVersion, String manifest) {}
