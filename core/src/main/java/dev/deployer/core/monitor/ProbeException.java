package dev.deployer.core.monitor;

import dev.deployer.core.error.DeployerException;

/** A monitor's configuration cannot work (a bad URL, a missing query file, an unset API key). */
public class ProbeException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(DeployerException.Kind.INVALID_INPUT, message);
  }

  public ProbeException(String message, Throwable cause) {
    super(DeployerException.Kind.INVALID_INPUT, message, cause);
  }
}
