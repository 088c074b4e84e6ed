package dev.deployer.core.monitor;

import java.util.Locale;
import java.util.Objects;

/**
 * What one probe found.
 *
 * @param kind a success or a failure when the backend answered and the answer decides; an error
 *     when the probe got no answer that decides anything (the backend cannot be reached, TLS fails,
 *     it answers 5xx or something that is not its API, it refuses the credentials)
 * @param detail what a user needs to see in the report: the value, the count, the status code
 */
public record ProbeResult(Kind kind, String detail) {

  /** The three ends of a probe. */
  public enum Kind {
    SUCCESS,
    FAILURE,
    ERROR;

    /** The word users see: {@code ok}, {@code failed}, {@code error}. */
    public String word() {
      return this == SUCCESS ? "ok" : this == FAILURE ? "failed" : name().toLowerCase(Locale.ROOT);
    }
  }

  public ProbeResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /** A success or a failure: the backend answered. */
  public ProbeResult(boolean success, String detail) {
    this(success ? Kind.SUCCESS : Kind.FAILURE, detail);
  }

  public static ProbeResult success(String detail) {
    return new ProbeResult(Kind.SUCCESS, detail);
  }

  public static ProbeResult failure(String detail) {
    return new ProbeResult(Kind.FAILURE, detail);
  }

  /** The backend could not be asked: nothing is known about the release's health. */
  public static ProbeResult error(String detail) {
    return new ProbeResult(Kind.ERROR, detail);
  }

  public boolean success() {
    return kind == Kind.SUCCESS;
  }

  public boolean error() {
    return kind == Kind.ERROR;
  }
}
