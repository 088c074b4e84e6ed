package dev.deployer.core.deploy;

import dev.deployer.core.helm.HelmOperationException;
import dev.deployer.core.helm.Operation;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.UpgradePlan;
import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses a plan built against revisions that someone else has moved since its build ({@code up}
 * without {@code --allow-stale}).
 */
final class StaleCheck {
  private final Cluster cluster;

  StaleCheck(Cluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Refuses a plan built against revisions that someone else has moved since. A release whose
   * newest revision is what this plan deploys (its own earlier run, finished or failed) has not
   * moved in that sense; neither has one left {@code pending-*}, which {@code
   * pending_release_strategy} handles.
   */
  void refuse(LoadedPlan loaded) {
    List<String> moved = new ArrayList<>();
    for (Release r : loaded.graph().releases()) {
      Optional<Integer> planned = loaded.dir().liveRevision(r.uniqueName());
      if (planned.isEmpty()) {
        continue;
      }
      Optional<ReleaseRevision> latest = cluster.latest(r);
      int now = latest.map(ReleaseRevision::revision).orElse(0);
      if (now == planned.get() || latest.map(RevisionPolicy::isPending).orElse(false)) {
        continue;
      }
      if (deploysThisPlan(r)) {
        continue;
      }
      moved.add(
          r.uniqueName()
              + ": built against "
              + (planned.get() == 0 ? "no release" : "revision " + planned.get())
              + ", now "
              + (now == 0 ? "not installed" : "revision " + now));
    }
    if (!moved.isEmpty()) {
      throw new StalePlanException(moved);
    }
  }

  /** Whether the newest revision has the chart, values and render this plan would deploy. */
  private boolean deploysThisPlan(Release r) {
    try {
      UpgradePlan plan =
          cluster.planUpgrade(EngineCalls.upgradeRequest(cluster, r), Operation.NONE);
      return plan.latest().isPresent() && ReviewedRender.sameContent(plan, plan.latest().get());
    } catch (HelmOperationException e) {
      return false;
    }
  }
}
