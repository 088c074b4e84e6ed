package dev.deployer.core.http;

import dev.deployer.core.http.TlsException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * Builds the okhttp clients of chart fetching and of the monitor probes, so that timeouts, threads
 * and TLS (trusted CAs, client certificates, skipping verification) are set up one way.
 */
public final class HttpClients {

  private static final Pattern PEM_KEY =
      Pattern.compile(
          "-----BEGIN ([A-Z ]*)PRIVATE KEY-----([^-]+)-----END [A-Z ]*PRIVATE KEY-----");

  private HttpClients() {}

  /**
   * How to trust a server and how to prove who we are to it, as Helm's {@code --ca-file}, {@code
   * --cert-file}, {@code --key-file} and {@code --insecure-skip-tls-verify}.
   *
   * @param caFile PEM certificates trusted instead of the system's
   * @param certFile PEM client certificate (chain), used with {@code keyFile}
   * @param keyFile PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}) of the client certificate
   * @param insecureSkipVerify trust any certificate for any host: the user chose so; {@code caFile}
   *     is then not read
   */
  public record Tls(
      Optional<Path> caFile,
      Optional<Path> certFile,
      Optional<Path> keyFile,
      boolean insecureSkipVerify) {

    /** The system's trusted certificates, no client certificate. */
    public static final Tls SYSTEM =
        new Tls(Optional.empty(), Optional.empty(), Optional.empty(), false);

    public Tls {
      Objects.requireNonNull(caFile, "caFile");
      Objects.requireNonNull(certFile, "certFile");
      Objects.requireNonNull(keyFile, "keyFile");
      if (certFile.isPresent() != keyFile.isPresent()) {
        throw new IllegalArgumentException("certFile and keyFile must be given together");
      }
    }

    /** Server verification only: trust {@code caFile} (else the system), or skip it. */
    public static Tls server(Optional<Path> caFile, boolean insecureSkipVerify) {
      return new Tls(caFile, Optional.empty(), Optional.empty(), insecureSkipVerify);
    }

    /** True when this changes nothing from the JVM's defaults. */
    public boolean isSystem() {
      return equals(SYSTEM);
    }
  }

  /**
   * A client builder with these timeouts (zero: none) whose threads are daemons, so an idle client
   * never keeps the JVM alive.
   *
   * @param threadName the name of the threads asynchronous calls run on
   */
  public static OkHttpClient.Builder builder(String threadName, Duration connect, Duration read) {
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    return new OkHttpClient.Builder()
        .dispatcher(new Dispatcher(executor))
        .connectTimeout(connect)
        .readTimeout(read);
  }

  /**
   * {@code base} with this TLS, sharing its connection pool and threads; {@code base} itself when
   * {@code tls} is the system's.
   */
  public static OkHttpClient withTls(OkHttpClient base, Tls tls) throws TlsException {
    if (tls.isSystem()) {
      return base;
    }
    return withTls(base.newBuilder(), tls).build();
  }

  /** Sets this TLS on {@code builder}; changes nothing when {@code tls} is the system's. */
  public static OkHttpClient.Builder withTls(OkHttpClient.Builder builder, Tls tls)
      throws TlsException {
    if (tls.isSystem()) {
      return builder;
    }
    X509TrustManager trust = trustManager(tls);
    KeyManager[] keys =
        tls.certFile().isPresent() ? keyManagers(tls.certFile().get(), tls.keyFile().get()) : null;
    SSLContext context;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(keys, new TrustManager[] {trust}, null);
    } catch (GeneralSecurityException e) {
      throw new TlsException(Kind.UNUSABLE, null, e.getMessage(), e);
    }
    builder.sslSocketFactory(context.getSocketFactory(), trust);
    if (tls.insecureSkipVerify()) {
      builder.hostnameVerifier((host, session) -> true);
    }
    return builder;
  }

  private static X509TrustManager trustManager(Tls tls) throws TlsException {
    if (tls.insecureSkipVerify()) {
      return new TrustEverything();
    }
    KeyStore store = null;
    Path caFile = tls.caFile().orElse(null);
    if (caFile != null) {
      List<? extends Certificate> certificates = certificates(caFile);
      try {
        store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        int i = 0;
        for (Certificate certificate : certificates) {
          store.setCertificateEntry("ca-" + i++, certificate);
        }
      } catch (IOException | GeneralSecurityException e) {
        throw new TlsException(Kind.UNUSABLE, caFile, e.getMessage(), e);
      }
    }
    try {
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new GeneralSecurityException("no X509 trust manager available");
    } catch (GeneralSecurityException e) {
      throw new TlsException(Kind.UNUSABLE, caFile, e.getMessage(), e);
    }
  }

  private static KeyManager[] keyManagers(Path certFile, Path keyFile) throws TlsException {
    List<? extends Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile, (X509Certificate) chain.get(0));
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      char[] password = new char[0];
      store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, password);
      return factory.getKeyManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsException(Kind.UNUSABLE, certFile, e.getMessage(), e);
    }
  }

  /** The PEM certificates in {@code file}, at least one. */
  private static List<? extends Certificate> certificates(Path file) throws TlsException {
    List<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
    } catch (NoSuchFileException e) {
      throw new TlsException(Kind.NO_SUCH_FILE, file, e.getMessage(), e);
    } catch (IOException | GeneralSecurityException e) {
      throw new TlsException(Kind.UNREADABLE, file, e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new TlsException(Kind.NO_CERTIFICATE, file, "no certificate in " + file, null);
    }
    return certificates;
  }

  private static PrivateKey privateKey(Path file, X509Certificate certificate) throws TlsException {
    String pemText;
    try {
      pemText = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new TlsException(Kind.NO_SUCH_FILE, file, e.getMessage(), e);
    } catch (IOException e) {
      throw new TlsException(Kind.UNREADABLE, file, e.getMessage(), e);
    }
    Matcher pem = PEM_KEY.matcher(pemText);
    if (!pem.find() || !pem.group(1).isEmpty()) {
      throw new TlsException(
          Kind.UNREADABLE,
          file,
          file
              + " must hold a PKCS#8 key (BEGIN PRIVATE KEY); convert it with"
              + " 'openssl pkcs8 -topk8 -nocrypt'",
          null);
    }
    try {
      byte[] der = Base64.getMimeDecoder().decode(pem.group(2));
      String algorithm = certificate.getPublicKey().getAlgorithm();
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    } catch (IllegalArgumentException e) {
      throw new TlsException(Kind.UNREADABLE, file, e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new TlsException(Kind.UNUSABLE, file, e.getMessage(), e);
    }
  }

  /**
   * Skipping verification: the user chose it ({@code insecure}, {@code insecure_skip_tls_verify}).
   */
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
