package dev.deployer.core.deploy;

/** Another deployer run holds a release's lock. */
public final class LockHeldException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LockHeldException(String message) {
    super(message);
  }
}
