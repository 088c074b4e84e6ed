package dev.deployer.core.deploy;

import dev.deployer.core.error.DeployerException;
import java.util.List;

/** Releases changed in the cluster since the plan directory was built. */
public final class StalePlanException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public StalePlanException(List<String> moved) {
    super(
        DeployerException.Kind.REFUSED,
        "the plan is stale: "
            + moved.size()
            + (moved.size() == 1 ? " release" : " releases")
            + " changed in the cluster since it was built; build again, or deploy anyway with --allow-stale:\n  "
            + String.join("\n  ", moved));
  }
}
