package dev.deployer.core.monitor;

import dev.deployer.core.plan.GoDuration;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Dispatcher;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** The HTTP plumbing the probes share: clients with bounded timeouts and TLS options, one call. */
final class ProbeHttp {
  /** Longer answers fail the probe rather than fill the heap. */
  static final long MAX_BODY_BYTES = 4L * 1024 * 1024;

  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private ProbeHttp() {}

  /** What the server answered; the body is read whole, up to {@link #MAX_BODY_BYTES}. */
  record Answer(int code, Headers headers, String body) {}

  /** TLS and redirect options of one probe's client. */
  record Options(Duration timeout, Optional<String> caFile, boolean insecure, boolean redirects) {}

  /**
   * A client whose connect, read, write and whole-call timeouts are bounded by {@code timeout}
   * (connecting by at most 5s).
   *
   * @param caFileProperty the YAML property naming the CA file, for error messages
   */
  static OkHttpClient client(Options options, String caFileProperty) {
    if (options.timeout().isNegative() || options.timeout().isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + options.timeout());
    }
    Duration connect =
        options.timeout().compareTo(MAX_CONNECT_TIMEOUT) < 0
            ? options.timeout()
            : MAX_CONNECT_TIMEOUT;
    // Daemon threads: an idle probe client must never keep the JVM alive.
    ThreadPoolExecutor executor =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> {
              Thread t = new Thread(r, "deployer-probe-http");
              t.setDaemon(true);
              return t;
            });
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .dispatcher(new Dispatcher(executor))
            .connectTimeout(connect)
            .readTimeout(options.timeout())
            .writeTimeout(options.timeout())
            .callTimeout(options.timeout())
            .followRedirects(options.redirects())
            .followSslRedirects(options.redirects())
            .retryOnConnectionFailure(false);
    if (options.insecure()) {
      X509TrustManager trustAll = new TrustEverything();
      builder.sslSocketFactory(sslContext(trustAll).getSocketFactory(), trustAll);
      builder.hostnameVerifier((host, session) -> true);
    } else if (options.caFile().isPresent()) {
      X509TrustManager trust = trustOnly(Path.of(options.caFile().get()), caFileProperty);
      builder.sslSocketFactory(sslContext(trust).getSocketFactory(), trust);
    }
    return builder.build();
  }

  /**
   * Makes one call. An interrupted caller cancels the call and gets the {@link
   * InterruptedException}; network failures and over-long answers are {@link IOException}s.
   */
  static Answer call(OkHttpClient client, Request request)
      throws IOException, InterruptedException {
    Call call = client.newCall(request);
    CompletableFuture<Answer> answer = new CompletableFuture<>();
    call.enqueue(
        new Callback() {
          @Override
          public void onFailure(Call c, IOException e) {
            answer.completeExceptionally(e);
          }

          @Override
          public void onResponse(Call c, Response response) {
            try (response) {
              answer.complete(
                  new Answer(response.code(), response.headers(), body(response.body())));
            } catch (IOException | RuntimeException e) {
              answer.completeExceptionally(e);
            }
          }
        });
    try {
      return answer.get();
    } catch (InterruptedException e) {
      call.cancel();
      throw e;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IOException io) {
        throw io;
      }
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IOException(cause);
    }
  }

  private static String body(ResponseBody body) throws IOException {
    if (body == null) {
      return "";
    }
    BufferedSource source = body.source();
    if (source.request(MAX_BODY_BYTES + 1)) {
      throw new IOException("the answer is longer than " + MAX_BODY_BYTES + " bytes");
    }
    MediaType type = body.contentType();
    Charset charset = type == null ? null : type.charset(null);
    return source.getBuffer().readString(charset == null ? StandardCharsets.UTF_8 : charset);
  }

  /** Why a call failed, in a line that names the URL (without credentials) and never a secret. */
  static String describe(IOException e, HttpUrl url, Duration timeout) {
    String where = shown(url);
    if (e instanceof ConnectException) {
      return "cannot connect to " + where + ": " + e.getMessage();
    }
    if (e instanceof UnknownHostException) {
      return "cannot connect to " + where + ": unknown host " + url.host();
    }
    if (e instanceof SocketTimeoutException
        || (e instanceof InterruptedIOException && "timeout".equals(e.getMessage()))) {
      return "no answer from " + where + " within " + GoDuration.format(timeout);
    }
    if (e instanceof SSLException) {
      return "TLS with " + where + " failed: " + e.getMessage();
    }
    return "calling " + where + " failed: " + e.getMessage();
  }

  /** The URL as shown in details: without user name and password. */
  static String shown(HttpUrl url) {
    return url.newBuilder().username("").password("").build().toString();
  }

  /** Parses a URL a plan gave, as a {@link ProbeException} naming the property when it is bad. */
  static HttpUrl url(String url, String property) {
    HttpUrl parsed = HttpUrl.parse(url);
    if (parsed == null) {
      throw new ProbeException(property + ": \"" + url + "\" is not an http(s) URL");
    }
    return parsed;
  }

  private static SSLContext sslContext(X509TrustManager trust) {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trust}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot set up TLS", e);
    }
  }

  private static X509TrustManager trustOnly(Path caFile, String property) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caFile)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (NoSuchFileException e) {
      throw new ProbeException(property + ": no such file " + caFile);
    } catch (IOException | GeneralSecurityException e) {
      throw new ProbeException(
          property + ": cannot read certificates from " + caFile + ": " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new ProbeException(property + ": no PEM certificate in " + caFile);
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new IllegalStateException("no X509TrustManager in this JVM");
    } catch (IOException | GeneralSecurityException e) {
      throw new ProbeException(property + ": cannot trust " + caFile + ": " + e.getMessage(), e);
    }
  }

  /** For {@code insecure: true}: the user chose to skip TLS verification. */
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
