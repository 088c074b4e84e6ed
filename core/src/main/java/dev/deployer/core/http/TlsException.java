package dev.deployer.core.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS could not be set up from the files given. {@link #getMessage()} is the underlying reason;
 * {@link #kind()} and {@link #file()} let each caller phrase it for the setting the user wrote.
 */
public final class TlsException extends Exception {

  /** What went wrong. */
  public enum Kind {
    /** The file does not exist. */
    NO_SUCH_FILE,
    /** The file could not be read or parsed as PEM certificates or key. */
    UNREADABLE,
    /** The file holds no certificate. */
    NO_CERTIFICATE,
    /** The certificates or key were read but this JVM cannot use them. */
    UNUSABLE
  }

  private final Kind kind;
  private final Path file;

  TlsException(Kind kind, Path file, String message, Throwable cause) {
    super(message, cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.file = file;
  }

  public Kind kind() {
    return kind;
  }

  /** The CA, certificate or key file at fault; null when the JVM itself is. */
  public Path file() {
    return file;
  }
}
