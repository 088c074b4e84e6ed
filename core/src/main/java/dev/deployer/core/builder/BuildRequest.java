package dev.deployer.core.builder;

import dev.deployer.core.graph.Selection;
import java.nio.file.Path;

/**
 * What {@code deployer build} is asked to do.
 *
 * @param planDir the plan directory to (re)write; {@code .deployer} by default
 * @param parallelLimit how many releases render at once
 * @param diffMode what the new plan is compared with; {@code null} picks {@code local} when a plan
 *     directory exists already, else {@code none}
 * @param kubeVersionFromCluster render for the Kubernetes version of each release's cluster (when a
 *     kubeconfig reaches it) instead of its {@code offline_kube_version} or the default; off unless
 *     the user asks, so that a build depends on nothing but its inputs
 * @param includeTests keep Helm test hooks in the manifests and the summary; left out by default,
 *     as they are not deployed and often have random names
 */
public record BuildRequest(
    Path planFile,
    Path planDir,
    Selection selection,
    int parallelLimit,
    DiffMode diffMode,
    boolean showSecrets,
    boolean kubeVersionFromCluster,
    boolean includeTests) {

  /** A request that leaves test hooks out. */
  public BuildRequest(
      Path planFile,
      Path planDir,
      Selection selection,
      int parallelLimit,
      DiffMode diffMode,
      boolean showSecrets,
      boolean kubeVersionFromCluster) {
    this(
        planFile,
        planDir,
        selection,
        parallelLimit,
        diffMode,
        showSecrets,
        kubeVersionFromCluster,
        false);
  }

  /** A request that renders for each release's offline Kubernetes version. */
  public BuildRequest(
      Path planFile,
      Path planDir,
      Selection selection,
      int parallelLimit,
      DiffMode diffMode,
      boolean showSecrets) {
    this(planFile, planDir, selection, parallelLimit, diffMode, showSecrets, false, false);
  }

  public static final String DEFAULT_PLAN_DIR = ".deployer";

  public BuildRequest {
    if (parallelLimit < 1) {
      throw new IllegalArgumentException(
          "the parallel limit must be 1 or more, not " + parallelLimit);
    }
  }

  /** What a new plan directory is compared with. */
  public enum DiffMode {
    /** No comparison: every release is shown as added. */
    NONE,
    /** The plan directory being replaced. */
    LOCAL,
    /** What is deployed in the cluster now; the planfile records each release's live revision. */
    LIVE
  }
}
