package dev.deployer.core.chart;

import java.nio.file.Path;

/**
 * How to reach a chart repository or OCI registry: credentials and TLS, as Helm's {@code
 * --username}, {@code --password}, {@code --ca-file}, {@code --cert-file}, {@code --key-file} and
 * {@code --insecure-skip-tls-verify}. Null fields are unset.
 *
 * @param caFile PEM certificates trusted instead of the system's, as Helm does
 * @param certFile PEM client certificate (chain), used with {@code keyFile}
 * @param keyFile PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of the client certificate
 */
public record RemoteAccess(
    String username,
    String password,
    Path caFile,
    Path certFile,
    Path keyFile,
    boolean insecureSkipTlsVerify) {

  public RemoteAccess {
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("certFile and keyFile must be given together");
    }
  }

  /** No credentials, the system's trusted certificates. */
  public static RemoteAccess anonymous() {
    return new RemoteAccess(null, null, null, null, null, false);
  }

  /** Basic authentication, the system's trusted certificates. */
  public static RemoteAccess basic(String username, String password) {
    return new RemoteAccess(username, password, null, null, null, false);
  }

  boolean hasCredentials() {
    return username != null && !username.isEmpty() && password != null;
  }

  @Override
  public String toString() {
    // Never print the password.
    return "RemoteAccess[username="
        + username
        + ", password="
        + (password == null ? "null" : "***")
        + ", caFile="
        + caFile
        + ", certFile="
        + certFile
        + ", keyFile="
        + keyFile
        + ", insecureSkipTlsVerify="
        + insecureSkipTlsVerify
        + "]";
  }
}
