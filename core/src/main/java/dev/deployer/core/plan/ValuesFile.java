package dev.deployer.core.plan;

import java.util.Optional;

/**
 * A values file of a release. A missing file is a warning, or an error when {@code strict}.
 *
 * @param renderer how the file is rendered before Helm reads it; helmwave's names are accepted
 */
public record ValuesFile(
    String src,
    boolean strict,
    Optional<String> renderer,
    Optional<String> delimiterLeft,
    Optional<String> delimiterRight,
    Location location) {}
