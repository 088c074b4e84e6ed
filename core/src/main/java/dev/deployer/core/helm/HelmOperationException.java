package dev.deployer.core.helm;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.deployer.core.error.DeployerException;
import java.util.Optional;

/**
 * A Helm operation failed or was cancelled; the message is Helm's. An API server that cannot be
 * reached is {@link DeployerException.Kind#UNREACHABLE}, any other failure {@link
 * DeployerException.Kind#FAILED}.
 */
public class HelmOperationException extends DeployerException {
  private static final long serialVersionUID = 1L;

  /** Why the engine's call failed, as the engine classified it (never read from its message). */
  public enum Reason {
    /** The request was wrong: a missing field, an unknown wait strategy. */
    @JsonProperty("invalid")
    INVALID,
    /** The chart could not be loaded or rendered. */
    @JsonProperty("render")
    RENDER,
    /** No such release or revision. */
    @JsonProperty("not_found")
    NOT_FOUND,
    /** Helm's operation failed otherwise; also any kind a newer engine may send. */
    @JsonProperty("failed")
    @JsonEnumDefaultValue
    FAILED,
    /** deployer cancelled the call. */
    @JsonProperty("cancelled")
    CANCELLED,
    /** The operation's own timeout ran out (Helm's wait, a hook). */
    @JsonProperty("timeout")
    TIMEOUT,
    /** The API server could not be reached. */
    @JsonProperty("unreachable")
    UNREACHABLE,
    /** Another writer holds the release or an object: a pending operation, a conflict. */
    @JsonProperty("conflict")
    CONFLICT
  }

  private final transient Optional<ReleaseRevision> release;
  private final Reason reason;

  public HelmOperationException(String message) {
    this(message, Optional.empty(), Reason.FAILED);
  }

  public HelmOperationException(String message, Optional<ReleaseRevision> release, Reason reason) {
    super(reason == Reason.UNREACHABLE ? Kind.UNREACHABLE : Kind.FAILED, message);
    this.release = release;
    this.reason = reason;
  }

  /** The revision as Helm left it, when Helm said. */
  public Optional<ReleaseRevision> release() {
    return release;
  }

  public Reason reason() {
    return reason;
  }

  /** Whether the operation ended because deployer cancelled it. */
  public boolean cancelled() {
    return reason == Reason.CANCELLED;
  }
}
