package dev.deployer.core.chart;

import java.net.URI;

/** The repository or registry refused the credentials given, or asked for some (401, 403). */
public class ChartAuthenticationException extends ChartFetchException {

  private static final long serialVersionUID = 1L;

  private final URI uri;
  private final int status;

  public ChartAuthenticationException(URI uri, int status, boolean credentialsGiven) {
    super(
        (credentialsGiven ? "credentials refused by " : "credentials required by ")
            + uri.getScheme()
            + "://"
            + uri.getAuthority()
            + " (HTTP "
            + status
            + ") for "
            + uri);
    this.uri = uri;
    this.status = status;
  }

  public URI uri() {
    return uri;
  }

  /** The HTTP status, 401 or 403. */
  public int status() {
    return status;
  }
}
