package dev.deployer.core.chart;

import dev.deployer.core.http.HttpClients;
import dev.deployer.core.http.TlsException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.ResponseBody;

/**
 * HTTP plumbing shared by repositories and registries: TLS from {@link RemoteAccess}, downloads.
 */
final class Transport {

  private static final Pattern PEM_KEY =
      Pattern.compile(
          "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]+)-----END [A-Z ]*PRIVATE KEY-----");

  private Transport() {}

  /** A client for one repository or registry, sharing the base client's connection pool. */
  static OkHttpClient configure(OkHttpClient base, RemoteAccess access) {
    HttpClients.Tls tls =
        new HttpClients.Tls(
            Optional.ofNullable(access.caFile()),
            Optional.ofNullable(access.certFile()),
            Optional.ofNullable(access.keyFile()),
            access.insecureSkipTlsVerify());
    try {
      return HttpClients.withTls(base, tls);
    } catch (TlsException e) {
      throw new ChartFetchException("cannot set up TLS from " + access + ": " + e.getMessage(), e);
    }
  }

  /**
   * Streams a response body into {@code targetDir/fileName}, replacing it only once complete.
   *
   * @return the {@code sha256:<hex>} digest of the bytes written
   */
  static String saveTo(ResponseBody body, Path targetDir, String fileName) throws IOException {
    Files.createDirectories(targetDir);
    Path partial = Files.createTempFile(targetDir, "." + fileName, ".part");
    try {
      MessageDigest sha256 = sha256();
      try (InputStream in = new DigestInputStream(body.byteStream(), sha256)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(
          partial,
          targetDir.resolve(fileName),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
