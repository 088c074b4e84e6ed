package dev.deployer.core.helm;

/**
 * A release's records do not allow what was asked: no such release or revision, nothing pending to
 * resolve, or another Helm operation wrote the revision first.
 */
public class ReleaseStateException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ReleaseStateException(String message) {
    super(message);
  }

  public ReleaseStateException(String message, Throwable cause) {
    super(message, cause);
  }
}
