package dev.deployer.core.chart;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;
import org.semver4j.Semver;

/**
 * Picks the highest version satisfying a constraint, as Helm does: an empty constraint means the
 * latest stable version, pre-releases match only a constraint that names one, and versions that are
 * not semver are ignored.
 */
public final class VersionSelector {
  /** Examples of what a version constraint may be, for messages. */
  public static final String EXAMPLES = "1.2.3, ^1.2.0, ~1.2, >=1.0.0 <2.0.0";

  private VersionSelector() {}

  /** Whether {@code constraint} is a version or a range of them, as the selection reads it. */
  public static boolean isConstraint(String constraint) {
    if (constraint.isBlank()) {
      return true; // the newest stable version
    }
    try {
      ranges(constraint.strip());
      return true;
    } catch (IllegalArgumentException e) { // semver4j's SemverException too
      return false;
    }
  }

  /** Whether {@code version} satisfies {@code constraint}, as a chart's version would. */
  public static boolean satisfies(String version, String constraint) {
    return highestMatch(List.of(version), constraint).isPresent();
  }

  /** The highest version satisfying the constraint, as spelled in the source. */
  static Optional<String> highestMatch(Collection<String> versions, String constraint) {
    String trimmed = constraint == null ? "" : constraint.strip();
    RangesList ranges = trimmed.isEmpty() ? null : ranges(trimmed);
    return parsed(versions).stream()
        .filter(v -> ranges == null ? v.semver().isStable() : v.semver().satisfies(ranges))
        .max(Comparator.comparing(Version::semver))
        .map(Version::spelled);
  }

  /** The versions that are semver, newest first, as spelled in the source. */
  static List<String> newestFirst(Collection<String> versions) {
    return parsed(versions).stream()
        .sorted(Comparator.comparing(Version::semver).reversed())
        .map(Version::spelled)
        .toList();
  }

  private static RangesList ranges(String constraint) {
    // Helm (Masterminds/semver) separates AND-ed comparators with commas or spaces.
    RangesList ranges = RangesListFactory.create(constraint.replace(',', ' '));
    if (ranges.get().isEmpty()) {
      throw new IllegalArgumentException("not a version or version range: " + constraint);
    }
    return ranges;
  }

  private static List<Version> parsed(Collection<String> versions) {
    List<Version> result = new ArrayList<>();
    for (String spelled : versions) {
      Semver semver = parse(spelled);
      if (semver != null) {
        result.add(new Version(spelled, semver));
      }
    }
    return result;
  }

  private static Semver parse(String version) {
    String v = version.startsWith("v") ? version.substring(1) : version;
    return Semver.parse(v);
  }

  private record Version(String spelled, Semver semver) {}
}
