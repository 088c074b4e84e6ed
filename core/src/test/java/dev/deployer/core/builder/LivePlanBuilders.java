package dev.deployer.core.builder;

import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.helm.NativeHelmEngine;
import java.util.Map;
import java.util.Optional;

/** The plan builder that tests against a cluster use, as {@code deployer build} makes it. */
public final class LivePlanBuilders {
  private LivePlanBuilders() {}

  /**
   * A builder on the real Helm engine that reads the releases in {@code cluster}, in the default
   * kube context of {@code env}.
   */
  public static PlanBuilder against(LiveReleases cluster, Map<String, String> env) {
    return new PlanBuilder(
        NativeHelmEngine.shared(), new ChartFetcher(), env, Optional.empty(), Optional.of(cluster));
  }
}
