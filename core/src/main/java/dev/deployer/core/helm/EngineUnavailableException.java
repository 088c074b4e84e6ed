package dev.deployer.core.helm;

/** The Helm engine library cannot be found, written to its cache, or loaded. */
public final class EngineUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message) {
    super(message);
  }

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
