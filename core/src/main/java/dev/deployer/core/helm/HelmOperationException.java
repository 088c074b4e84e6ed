package dev.deployer.core.helm;

import java.util.Optional;

/** A Helm operation failed or was cancelled; the message is Helm's. */
public class HelmOperationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<ReleaseRevision> release;
  private final boolean cancelled;

  public HelmOperationException(String message) {
    this(message, Optional.empty(), false);
  }

  public HelmOperationException(
      String message, Optional<ReleaseRevision> release, boolean cancelled) {
    super(message);
    this.release = release;
    this.cancelled = cancelled;
  }

  /** The revision as Helm left it, when Helm said. */
  public Optional<ReleaseRevision> release() {
    return release;
  }

  /** Whether the operation ended because deployer cancelled it. */
  public boolean cancelled() {
    return cancelled;
  }
}
