package dev.deployer.core.hooks;

import dev.deployer.core.error.DeployerException;

/** A lifecycle command failed and was not allowed to. */
public final class HookFailedException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public HookFailedException(String message) {
    super(DeployerException.Kind.FAILED, message);
  }
}
