package dev.deployer.core.chart;

import java.util.List;

/** The chart exists but no version satisfies the constraint. */
public class NoMatchingVersionException extends ChartFetchException {

  private static final long serialVersionUID = 1L;

  private final String chart;
  private final String constraint;
  private final List<String> availableVersions;

  /**
   * @param availableVersions the chart's versions, newest first
   */
  public NoMatchingVersionException(
      String chart, String constraint, List<String> availableVersions) {
    super(
        "chart "
            + chart
            + " has no version matching "
            + (constraint.isEmpty() ? "(latest stable)" : "'" + constraint + "'")
            + "; available: "
            + (availableVersions.isEmpty() ? "none" : String.join(", ", availableVersions)));
    this.chart = chart;
    this.constraint = constraint;
    this.availableVersions = List.copyOf(availableVersions);
  }

  public String chart() {
    return chart;
  }

  public String constraint() {
    return constraint;
  }

  /** The chart's versions, newest first. */
  public List<String> availableVersions() {
    return availableVersions;
  }
}
