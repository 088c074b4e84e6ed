package dev.deployer.core.hooks;

/** A lifecycle command failed and was not allowed to. */
public final class HookFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HookFailedException(String message) {
    super(message);
  }
}
