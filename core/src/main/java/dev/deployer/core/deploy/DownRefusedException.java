package dev.deployer.core.deploy;

import dev.deployer.core.error.DeployerException;
import java.util.List;

/** {@code down} would uninstall releases that installed releases outside its selection need. */
public final class DownRefusedException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public DownRefusedException(List<String> needed) {
    super(
        DeployerException.Kind.REFUSED,
        "down refused: installed releases outside the selection depend on "
            + (needed.size() == 1 ? "this release" : "these releases")
            + "; widen the selection, or uninstall anyway with --force:\n  "
            + String.join("\n  ", needed));
  }
}
