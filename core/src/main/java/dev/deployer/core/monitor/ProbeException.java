package dev.deployer.core.monitor;

/** A monitor's configuration cannot work (a bad URL, a missing query file, an unset API key). */
public class ProbeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ProbeException(String message) {
    super(message);
  }

  public ProbeException(String message, Throwable cause) {
    super(message, cause);
  }
}
