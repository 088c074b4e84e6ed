package dev.deployer.core.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
      sb.append("=== ").append(release.uniqueName()).append(": ").append(word(release));
      if (release.change() == Change.REMOVED) {
        sb.append('\n'); // up leaves its resources as they are: no diff to show
        continue;
      }
      versions(release).ifPresent(v -> sb.append(" (chart ").append(v).append(')'));
      sb.append('\n');
      for (String option : release.deployChanges()) {
        sb.append("deploy option ").append(option).append('\n');
      }
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

  /** What a release-level change is called: a release no longer in the plan stays installed. */
  private static String word(ReleaseDiff r) {
    return r.change() == Change.REMOVED
        ? "removed from the plan, left installed"
        : r.change().word();
  }

  /** The most characters of a summary: a GitHub pull-request comment holds 65,536. */
  public static final int SUMMARY_LIMIT = 60_000;

  /** The file that has the whole summary when {@code summary.md} had to be cut. */
  public static final String FULL_SUMMARY = "summary-full.md";

  /**
   * A Markdown summary for a pull request, and the whole one when it had to be cut.
   *
   * @param text at most the limit, unless the release table alone is longer (it is never cut)
   * @param full everything; equal to {@code text} unless cut
   */
  public record Summary(String text, String full, boolean cut) {}

  /** The Markdown summary, whole. */
  public static String markdown(String title, PlanDiff diff) {
    return summary(title, diff, Map.of(), Integer.MAX_VALUE).full();
  }

  /**
   * A Markdown summary for a pull-request comment: counts, a table of every release, the releases
   * left installed with how to remove them, then per changed release its changed deploy options,
   * its resource changes and a collapsed diff. Past {@code limit} characters, resource lists and
   * diffs are left out (largest needs last), each with a note naming {@link #FULL_SUMMARY}; the
   * table and the deploy options always stay.
   *
   * @param removal per release left installed (unique name), the command that removes it
   */
  public static Summary summary(
      String title, PlanDiff diff, Map<String, String> removal, int limit) {
    List<ReleaseDiff> changed =
        diff.releases().stream()
            .filter(r -> r.change() != Change.UNCHANGED && r.change() != Change.REMOVED)
            .toList();
    List<Detail> whole = changed.stream().map(r -> Detail.WHOLE).toList();
    String full = render(title, diff, removal, changed, whole, limit);
    if (full.length() <= limit) {
      return new Summary(full, full, false);
    }
    List<Detail> chosen = new ArrayList<>(changed.stream().map(r -> Detail.NONE).toList());
    int budget = limit - render(title, diff, removal, changed, chosen, limit).length();
    // The smallest first, so that one huge diff does not keep out many small ones.
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < changed.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(i -> details(changed.get(i), Detail.WHOLE).length()));
    for (int i : order) {
      ReleaseDiff r = changed.get(i);
      int none = details(r, Detail.NONE).length();
      for (Detail d : List.of(Detail.WHOLE, Detail.LIST)) {
        int cost = details(r, d).length() - none;
        if (cost <= budget) {
          chosen.set(i, d);
          budget -= cost;
          break;
        }
      }
    }
    String text = render(title, diff, removal, changed, chosen, limit);
    return new Summary(text, full, !text.equals(full));
  }

  /** How much of a release's changes a summary shows. */
  private enum Detail {
    WHOLE,
    LIST,
    NONE
  }

  private static String render(
      String title,
      PlanDiff diff,
      Map<String, String> removal,
      List<ReleaseDiff> changed,
      List<Detail> details,
      int limit) {
    StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
    sb.append(counts(diff)).append(".\n\n");
    long cut = details.stream().filter(d -> d != Detail.WHOLE).count();
    if (cut > 0) {
      sb.append("> **Cut to fit a pull-request comment** (")
          .append(String.format(Locale.ROOT, "%,d", limit))
          .append(" characters): the diffs of ")
          .append(cut)
          .append(cut == 1 ? " release are" : " releases are")
          .append(" left out. `")
          .append(FULL_SUMMARY)
          .append("` in the plan directory has everything.\n\n");
    }
    sb.append("| release | change | chart before | chart after | resources +/~/- |\n");
    sb.append("| --- | --- | --- | --- | --- |\n");
    for (ReleaseDiff r : diff.releases()) {
      sb.append("| `")
          .append(r.uniqueName())
          .append("` | ")
          .append(r.change() == Change.REMOVED ? "left installed" : r.change().word())
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
    List<ReleaseDiff> left =
        diff.releases().stream().filter(r -> r.change() == Change.REMOVED).toList();
    if (!left.isEmpty()) {
      sb.append("\n## Left installed\n\n")
          .append("No longer in the plan, but `up` never uninstalls a release; each stays in its")
          .append(" cluster until it is removed:\n\n");
      for (ReleaseDiff r : left) {
        sb.append("- `").append(r.uniqueName()).append('`');
        String command = removal.get(r.uniqueName());
        if (command != null) {
          sb.append(": `").append(command).append('`');
        }
        sb.append('\n');
      }
    }
    for (int i = 0; i < changed.size(); i++) {
      ReleaseDiff r = changed.get(i);
      sb.append("\n## `")
          .append(r.uniqueName())
          .append("`: ")
          .append(r.change().word())
          .append("\n\n");
      for (String option : r.deployChanges()) {
        sb.append("- deploy option `").append(option).append("`\n");
      }
      sb.append(details(r, details.get(i)));
    }
    return sb.toString();
  }

  private static String details(ReleaseDiff r, Detail detail) {
    List<ResourceDiff> resources =
        r.resources().stream().filter(x -> x.change() != Change.UNCHANGED).toList();
    if (resources.isEmpty()) {
      return "";
    }
    if (detail == Detail.NONE) {
      return "- "
          + resources.size()
          + (resources.size() == 1 ? " resource changed" : " resources changed")
          + ": the list and the diff are in `"
          + FULL_SUMMARY
          + "`\n";
    }
    StringBuilder sb = new StringBuilder();
    for (ResourceDiff resource : resources) {
      sb.append("- ")
          .append(resource.change().word())
          .append(" `")
          .append(resource.key())
          .append("`\n");
    }
    if (detail == Detail.LIST) {
      return sb.append("\nThe diff is in `").append(FULL_SUMMARY).append("`.\n").toString();
    }
    sb.append("\n<details><summary>diff</summary>\n\n```diff\n");
    for (ResourceDiff resource : resources) {
      sb.append(resource.unifiedDiff());
    }
    return sb.append("```\n\n</details>\n").toString();
  }
}
