package dev.deployer.core.plan;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A plan as written in {@code deployer.yml} (or an unchanged {@code helmwave.yml}): the releases to
 * deploy, their monitors, and where their charts come from.
 *
 * @param file the plan file, as the user named it; relative paths in the plan are resolved against
 *     its folder
 */
public record Plan(
    Path file,
    String project,
    Optional<String> version,
    List<Repository> repositories,
    List<Registry> registries,
    List<Monitor> monitors,
    List<Release> releases,
    Lifecycle lifecycle) {

  public Plan {
    repositories = List.copyOf(repositories);
    registries = List.copyOf(registries);
    monitors = List.copyOf(monitors);
    releases = List.copyOf(releases);
  }

  /** The folder relative paths in the plan are resolved against. */
  public Path baseDir() {
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }

  public Optional<Monitor> monitor(String name) {
    return monitors.stream().filter(m -> m.name().equals(name)).findFirst();
  }

  public Optional<Repository> repository(String name) {
    return repositories.stream().filter(r -> r.name().equals(name)).findFirst();
  }
}
