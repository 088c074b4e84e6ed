package dev.deployer.core.deploy;

import dev.deployer.core.diff.Change;
import dev.deployer.core.diff.Differ;
import dev.deployer.core.diff.Manifests;
import dev.deployer.core.diff.ReleaseDiff;
import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.diff.ResourceDiff;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.UpgradePlan;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Compares renders of one release, resource by resource: the reviewed one of the plan directory
 * with the one Helm makes at deploy time, and that one with the deployed revision. Test hooks are
 * left out: {@code up} never runs them, and their names are often random.
 */
final class ReviewedRender {
  private ReviewedRender() {}

  /**
   * How the deploy-time render differs from the reviewed one.
   *
   * @param differing each resource that differs, added or removed: {@code ~ Kind/ns/name}
   * @param diff the differences in unified form, Secret values redacted
   */
  record Drift(List<String> differing, String diff) {
    Drift {
      differing = List.copyOf(differing);
    }

    boolean none() {
      return differing.isEmpty();
    }

    /** One line for a release's reason: how many resources differ, and the first few. */
    String summary() {
      int shown = Math.min(differing.size(), 5);
      return differing.size()
          + (differing.size() == 1 ? " resource" : " resources")
          + " ("
          + String.join(", ", differing.subList(0, shown))
          + (differing.size() > shown ? ", ..." : "")
          + ")";
    }
  }

  /** The deploy-time render against the reviewed manifest of the plan directory. */
  static Drift drift(String release, String namespace, String reviewed, String deployTime) {
    ReleaseDiff diff =
        new Differ(false)
            .diff(
                Map.of(release, snapshot(release, namespace, reviewed)),
                Map.of(release, snapshot(release, namespace, deployTime)))
            .releases()
            .get(0);
    List<ResourceDiff> changed =
        diff.resources().stream().filter(r -> r.change() != Change.UNCHANGED).toList();
    return new Drift(
        changed.stream().map(r -> sign(r.change()) + " " + r.key()).toList(),
        changed.stream().map(ResourceDiff::unifiedDiff).collect(Collectors.joining()));
  }

  /**
   * Whether upgrading would change nothing: the newest revision is deployed, with the same chart,
   * values and render (hooks included) as the upgrade would write, and the same deploy options.
   */
  static boolean unchanged(UpgradePlan plan, String optionsDigest) {
    Optional<UpgradePlan.Recorded> deployed = plan.deployed();
    if (deployed.isEmpty() || plan.latest().isEmpty()) {
      return false;
    }
    ReleaseRevision live = deployed.get().revision();
    return plan.latest().get().revision().revision() == live.revision()
        && optionsDigest.equals(
            live.labels().get(dev.deployer.core.helm.UpgradeRequest.UpgradeOptions.DIGEST_LABEL))
        && sameContent(plan, deployed.get());
  }

  /**
   * Whether a recorded revision has the chart, values and render (hooks included) the upgrade would
   * write.
   */
  static boolean sameContent(UpgradePlan plan, UpgradePlan.Recorded recorded) {
    ReleaseRevision live = recorded.revision();
    ReleaseRevision next = plan.planned();
    return live.chartName().equals(next.chartName())
        && live.chartVersion().equals(next.chartVersion())
        && live.appVersion().equals(next.appVersion())
        && recorded.values().equals(plan.plannedValues())
        && drift(live.name(), live.namespace(), live.manifestWithHooks(), next.manifestWithHooks())
            .none();
  }

  private static ReleaseSnapshot snapshot(String release, String namespace, String manifest) {
    return new ReleaseSnapshot(
        release, namespace, Optional.empty(), Manifests.withoutTestHooks(manifest));
  }

  private static String sign(Change change) {
    return switch (change) {
      case ADDED -> "+";
      case REMOVED -> "-";
      default -> "~";
    };
  }
}
