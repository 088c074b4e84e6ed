package dev.deployer.core.diff;

import java.util.Optional;

/** Text and Markdown forms of a plan diff. */
public final class DiffFormat {
  private DiffFormat() {}

  /** For a terminal: one header per changed release, then its resource diffs. */
  public static String text(PlanDiff diff) {
    StringBuilder sb = new StringBuilder();
    for (ReleaseDiff release : diff.releases()) {
      if (release.change() == Change.UNCHANGED) {
        continue;
      }
      sb.append("=== ").append(release.uniqueName()).append(": ").append(release.change().word());
      versions(release).ifPresent(v -> sb.append(" (chart ").append(v).append(')'));
      sb.append('\n');
      for (ResourceDiff r : release.resources()) {
        if (r.change() != Change.UNCHANGED) {
          sb.append(r.unifiedDiff());
        }
      }
    }
    sb.append(counts(diff)).append('\n');
    return sb.toString();
  }

  /** {@code 1 added, 2 changed, 0 removed, 3 unchanged}. */
  public static String counts(PlanDiff diff) {
    return diff.count(Change.ADDED)
        + " added, "
        + diff.count(Change.CHANGED)
        + " changed, "
        + diff.count(Change.REMOVED)
        + " removed, "
        + diff.count(Change.UNCHANGED)
        + " unchanged";
  }

  private static Optional<String> versions(ReleaseDiff r) {
    if (r.chartVersionBefore().equals(r.chartVersionAfter())) {
      return Optional.empty();
    }
    return Optional.of(
        r.chartVersionBefore().orElse("none") + " -> " + r.chartVersionAfter().orElse("none"));
  }

  /**
   * A Markdown summary for a pull-request comment: a table of releases, then per changed release
   * its resource changes and collapsed diffs.
   */
  public static String markdown(String title, PlanDiff diff) {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    sb.append(counts(diff)).append(".\n\n");
    sb.append("| release | change | chart before | chart after | resources +/~/- |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    for (ReleaseDiff r : diff.releases()) {
      sb.append("| `")
          .append(r.uniqueName())
          .append("` | ")
          .append(r.change().word())
          .append(" | ")
          .append(r.chartVersionBefore().orElse("-"))
          .append(" | ")
          .append(r.chartVersionAfter().orElse("-"))
          .append(" | ")
          .append(r.count(Change.ADDED))
          .append('/')
          .append(r.count(Change.CHANGED))
          .append('/')
          .append(r.count(Change.REMOVED))
          .append(" |\n");
    }
    for (ReleaseDiff r : diff.releases()) {
      if (r.change() == Change.UNCHANGED) {
        continue;
      }
      sb.append("\n## `")
          .append(r.uniqueName())
          .append("`: ")
          .append(r.change().word())
          .append("\n\n");
      for (ResourceDiff resource : r.resources()) {
        if (resource.change() == Change.UNCHANGED) {
          continue;
        }
        sb.append("- ")
            .append(resource.change().word())
            .append(" `")
            .append(resource.key())
            .append("`\n");
      }
      sb.append("\n<details><summary>diff</summary>\n\n```diff\n");
      for (ResourceDiff resource : r.resources()) {
        sb.append(resource.unifiedDiff());
      }
      sb.append("```\n\n</details>\n");
    }
    return sb.toString();
  }
}
