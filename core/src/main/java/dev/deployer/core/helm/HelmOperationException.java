package dev.deployer.core.helm;

/** A Helm install, upgrade or uninstall failed; the message is Helm's. */
public class HelmOperationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HelmOperationException(String message, Throwable cause) {
    super(message, cause);
  }
}
