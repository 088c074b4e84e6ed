package dev.deployer.core.plan;

import java.util.Optional;

/** A classic Helm chart repository that {@code repo/chart} references point into. */
public record Repository(
    String name,
    String url,
    Optional<String> username,
    Optional<String> password,
    Optional<String> caFile,
    Optional<String> certFile,
    Optional<String> keyFile,
    boolean insecureSkipTlsVerify,
    boolean passCredentialsAll,
    Location location) {}
