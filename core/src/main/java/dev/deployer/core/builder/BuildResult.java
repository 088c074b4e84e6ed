package dev.deployer.core.builder;

import dev.deployer.core.diff.PlanDiff;
import java.nio.file.Path;
import java.util.List;

/** A plan directory written, and how it differs from what it replaced. */
public record BuildResult(
    Path planDir, List<String> releases, BuildRequest.DiffMode diffMode, PlanDiff diff) {
  public BuildResult {
    releases = List.copyOf(releases);
  }
}
