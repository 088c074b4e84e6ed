package dev.deployer.core.deploy;

import dev.deployer.core.error.DeployerException;

/** Another deployer run holds a release's lock. */
public final class LockHeldException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public LockHeldException(String message) {
    super(DeployerException.Kind.REFUSED, message);
  }
}
