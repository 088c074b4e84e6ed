package dev.deployer.core.kube;

import dev.deployer.core.error.DeployerException;

/**
 * No usable kubeconfig: none found, unreadable, or without the kube context asked for. The user
 * fixes it by pointing {@code KUBECONFIG} at the right file or naming a context it has.
 */
public final class KubeConfigException extends DeployerException {
  private static final long serialVersionUID = 1L;

  public KubeConfigException(String message) {
    super(DeployerException.Kind.INVALID_INPUT, message);
  }

  public KubeConfigException(String message, Throwable cause) {
    super(DeployerException.Kind.INVALID_INPUT, message, cause);
  }
}
