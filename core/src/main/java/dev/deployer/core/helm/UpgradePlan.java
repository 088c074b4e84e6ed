package dev.deployer.core.helm;

import java.util.Objects;
import java.util.Optional;

/**
 * What an install or upgrade would record, from a server dry run, next to what the cluster has now.
 * Nothing is written to the cluster to find it out.
 *
 * @param planned the revision the upgrade would write: rendered as the upgrade renders, with {@code
 *     lookup} answered by the cluster
 * @param plannedValues the values the upgrade would record, as canonical JSON (keys sorted)
 * @param latest the release's newest revision, whatever its status, with its values as canonical
 *     JSON; empty when not installed
 * @param deployed the newest revision whose status is {@code deployed}, with its values; empty when
 *     there is none
 * @param exact false when the render could not ask the cluster; {@code note} says why
 */
public record UpgradePlan(
    ReleaseRevision planned,
    String plannedValues,
    Optional<Recorded> latest,
    Optional<Recorded> deployed,
    boolean exact,
    String note) {

  public UpgradePlan {
    Objects.requireNonNull(planned, "planned");
    plannedValues = Objects.requireNonNullElse(plannedValues, "{}");
    Objects.requireNonNull(latest, "latest");
    Objects.requireNonNull(deployed, "deployed");
    note = Objects.requireNonNullElse(note, "");
  }

  /** A revision and the values it was recorded with, as canonical JSON. */
  public record Recorded(ReleaseRevision revision, String values) {}

  /** Whether the upgrade would install the release (it is not installed, or was uninstalled). */
  public boolean installs() {
    return latest.isEmpty() || latest.get().revision().status() == ReleaseStatus.UNINSTALLED;
  }
}
