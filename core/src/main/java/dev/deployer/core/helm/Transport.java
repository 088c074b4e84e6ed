package dev.deployer.core.helm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
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
    if (!access.insecureSkipTlsVerify() && access.caFile() == null && access.certFile() == null) {
      return base;
    }
    try {
      X509TrustManager trust = trustManager(access);
      KeyManager[] keys = access.certFile() == null ? null : keyManagers(access);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
      OkHttpClient.Builder builder =
          base.newBuilder().sslSocketFactory(context.getSocketFactory(), trust);
      if (access.insecureSkipTlsVerify()) {
        builder.hostnameVerifier((host, session) -> true);
      }
      return builder.build();
    } catch (IOException | GeneralSecurityException e) {
      throw new ChartFetchException("cannot set up TLS from " + access + ": " + e.getMessage(), e);
    }
  }

  private static X509TrustManager trustManager(RemoteAccess access)
      throws IOException, GeneralSecurityException {
    if (access.insecureSkipTlsVerify()) {
      return new TrustEverything();
    }
    KeyStore store = null;
    if (access.caFile() != null) {
      store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates(access.caFile())) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    for (TrustManager manager : factory.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        return x509;
      }
    }
    throw new GeneralSecurityException("no X509 trust manager available");
  }

  private static KeyManager[] keyManagers(RemoteAccess access)
      throws IOException, GeneralSecurityException {
    List<? extends Certificate> chain = certificates(access.certFile());
    PrivateKey key = privateKey(access.keyFile(), (X509Certificate) chain.get(0));
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    char[] password = new char[0];
    store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
    KeyManagerFactory factory =
        KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    factory.init(store, password);
    return factory.getKeyManagers();
  }

  private static List<? extends Certificate> certificates(Path file)
      throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      List<? extends Certificate> certificates =
          List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
      if (certificates.isEmpty()) {
        throw new GeneralSecurityException("no certificate in " + file);
      }
      return certificates;
    }
  }

  private static PrivateKey privateKey(Path file, X509Certificate certificate)
      throws IOException, GeneralSecurityException {
    Matcher pem = PEM_KEY.matcher(Files.readString(file));
    if (!pem.find() || !pem.group(1).isEmpty()) {
      throw new GeneralSecurityException(
          file
              + " must hold a PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt'");
    }
    byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
    String algorithm = certificate.getPublicKey().getAlgorithm();
    return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
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

  /** insecure_skip_tls_verify: what the user asked for, as Helm does. */
  private static final class TrustEverything implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
