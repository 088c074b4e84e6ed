package dev.deployer.core.kube;

/**
 * No usable kubeconfig: none found, unreadable, or without the kube context asked for. The user
 * fixes it by pointing {@code KUBECONFIG} at the right file or naming a context it has.
 */
public final class KubeConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KubeConfigException(String message) {
    super(message);
  }

  public KubeConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
