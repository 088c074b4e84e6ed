package dev.deployer.core.chart;

/** A remote chart could not be fetched (network, TLS, a malformed index or manifest). */
public class ChartFetchException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ChartFetchException(String message) {
    super(message);
  }

  public ChartFetchException(String message, Throwable cause) {
    super(message, cause);
  }
}
