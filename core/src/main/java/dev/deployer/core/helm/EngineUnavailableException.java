package dev.deployer.core.helm;

import dev.deployer.core.error.DeployerException;

/** The Helm engine library cannot be found, written to its cache, or loaded. */
public final class EngineUnavailableException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message) {
    super(Kind.FAILED, message);
  }

  public EngineUnavailableException(String message, Throwable cause) {
    super(Kind.FAILED, message, cause);
  }
}
