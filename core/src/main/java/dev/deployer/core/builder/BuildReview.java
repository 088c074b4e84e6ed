package dev.deployer.core.builder;

import dev.deployer.core.diff.Change;
import dev.deployer.core.diff.DiffFormat;
import dev.deployer.core.diff.PlanDiff;
import dev.deployer.core.diff.ReleaseDiff;
import dev.deployer.core.diff.Resource;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plandir.PlanDirectory;
import dev.deployer.core.plandir.Planfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build checks and writes for its reviewers beyond each release: objects two releases would
 * both own, deploy options that changed, releases left installed, and {@code summary.md}.
 */
final class BuildReview {
  private BuildReview() {}

  /**
   * Refuses two releases that render the same object (kind, namespace and name; kind and name when
   * cluster-scoped): Helm would refuse to install the second, or worse, the two would take the
   * object from each other. Hooks are left out, since Helm creates and deletes them for each run.
   *
   * @throws PlanException naming both releases and the object, at the second release
   */
  static void refuseSharedObjects(List<PlanBuilder.BuiltRelease> built) {
    Map<String, String> owners = new LinkedHashMap<>();
    List<Problem> problems = new ArrayList<>();
    for (PlanBuilder.BuiltRelease b : built) {
      String name = b.release().uniqueName();
      for (Resource r : b.resources()) {
        if (r.isHook()) {
          continue;
        }
        String owner = owners.putIfAbsent(r.key(), name);
        if (owner != null && !owner.equals(name)) {
          problems.add(
              new Problem(
                  b.release().location(),
                  "releases." + name,
                  "renders "
                      + r.key()
                      + ", which release "
                      + owner
                      + " renders too: an object can belong to one release only"));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new PlanException(problems);
    }
  }

  /** Per release of both, the deploy options that differ from the previous plan directory. */
  static Map<String, List<String>> deployChanges(
      Optional<PlanDirectory> previous, List<PlanBuilder.BuiltRelease> built) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (previous.isEmpty()) {
      return out;
    }
    Map<String, Release.Deployment> before = previous.get().deployOptions();
    for (PlanBuilder.BuiltRelease b : built) {
      Release.Deployment old = before.get(b.release().uniqueName());
      if (old != null) {
        out.put(b.release().uniqueName(), Planfile.deployChanges(old, b.release().deployment()));
      }
    }
    return out;
  }

  /**
   * Against the cluster, for each release the previous plan directory showed no option change for:
   * whether its deploy options differ from the digest {@code up} recorded on its live revision.
   *
   * @param liveOptions per installed release, the digest on its live revision (empty when another
   *     tool wrote it)
   */
  static void addLiveDeployChanges(
      Map<String, List<String>> changes,
      Map<String, Optional<String>> liveOptions,
      List<PlanBuilder.BuiltRelease> built) {
    for (PlanBuilder.BuiltRelease b : built) {
      String name = b.release().uniqueName();
      Optional<String> recorded = liveOptions.get(name);
      if (recorded == null || !changes.getOrDefault(name, List.of()).isEmpty()) {
        continue;
      }
      String digest = dev.deployer.core.helm.UpgradeRequest.UpgradeOptions.of(b.release()).digest();
      if (!recorded.equals(Optional.of(digest))) {
        changes.put(
            name,
            List.of(
                recorded.isEmpty()
                    ? "deploy options: not recorded on the live revision (deployed by another"
                        + " tool), so up upgrades it"
                    : "deploy options: differ from the live revision's"));
      }
    }
  }

  /** Writes {@code summary.md}, and {@code summary-full.md} when the summary had to be cut. */
  static void writeSummary(
      Path dir, String title, PlanDiff diff, Optional<PlanDirectory> previous) {
    Map<String, String> removal = new LinkedHashMap<>();
    for (ReleaseDiff r : diff.releases()) {
      if (r.change() == Change.REMOVED) {
        previous
            .flatMap(p -> p.uninstallCommand(r.uniqueName()))
            .ifPresent(c -> removal.put(r.uniqueName(), c));
      }
    }
    DiffFormat.Summary summary = DiffFormat.summary(title, diff, removal, DiffFormat.SUMMARY_LIMIT);
    PlanBuilder.write(dir.resolve(PlanDirectory.SUMMARY), summary.text());
    if (summary.cut()) {
      PlanBuilder.write(dir.resolve(PlanDirectory.FULL_SUMMARY), summary.full());
    }
  }
}
