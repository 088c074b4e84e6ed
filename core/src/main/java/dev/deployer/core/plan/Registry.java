package dev.deployer.core.plan;

import java.util.Optional;

/** An OCI registry to log in to before {@code oci://} charts are pulled from it. */
public record Registry(
    String host,
    Optional<String> username,
    Optional<String> password,
    boolean insecure,
    Location location) {}
