package dev.deployer.core.monitor;

import dev.deployer.core.http.HttpClients;
import dev.deployer.core.http.TlsException;
import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.MonitorSecrets;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.Connection;
import okhttp3.Credentials;
import okhttp3.EventListener;
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

  /**
   * {@code scheme://userinfo@rest}: the user information ends at the last {@code @} of the
   * authority.
   */
  private static final Pattern USERINFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)@(.*)$");

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
    OkHttpClient.Builder builder =
        HttpClients.builder("deployer-probe-http", connect, options.timeout())
            .writeTimeout(options.timeout())
            .callTimeout(options.timeout())
            .followRedirects(options.redirects())
            .followSslRedirects(options.redirects())
            // No silent retries: call() retries once, only a pooled connection the server closed.
            .retryOnConnectionFailure(false)
            .eventListenerFactory(call -> new PoolUse.Listener(call.request().tag(PoolUse.class)));
    HttpClients.Tls tls =
        HttpClients.Tls.server(options.caFile().map(Path::of), options.insecure());
    try {
      return HttpClients.withTls(builder, tls).build();
    } catch (TlsException e) {
      throw tlsProblem(e, caFileProperty);
    }
  }

  /** A CA file that cannot be used, phrased for the probe's {@code ca_file} setting. */
  private static RuntimeException tlsProblem(TlsException e, String property) {
    Path caFile = e.file();
    if (caFile == null) {
      return new IllegalStateException("this JVM cannot set up TLS", e);
    }
    return switch (e.kind()) {
      case NO_SUCH_FILE -> new ProbeException(property + ": no such file " + caFile);
      case UNREADABLE ->
          new ProbeException(
              property + ": cannot read certificates from " + caFile + ": " + e.getMessage(), e);
      case NO_CERTIFICATE -> new ProbeException(property + ": no PEM certificate in " + caFile);
      case UNUSABLE ->
          new ProbeException(property + ": cannot trust " + caFile + ": " + e.getMessage(), e);
    };
  }

  /**
   * How one call got its connection: a call that fails on a connection taken from the pool, which
   * it did not open itself, most likely met a connection the server closed while it was idle
   * (keep-alive timeouts differ between clients and servers).
   */
  private static final class PoolUse {
    volatile boolean acquired;
    volatile boolean connected;

    boolean staleSuspect() {
      return acquired && !connected;
    }

    static final class Listener extends EventListener {
      private final PoolUse use;

      Listener(PoolUse use) {
        this.use = use;
      }

      @Override
      public void connectStart(Call call, java.net.InetSocketAddress address, java.net.Proxy p) {
        if (use != null) {
          use.connected = true;
        }
      }

      @Override
      public void connectionAcquired(Call call, Connection connection) {
        if (use != null) {
          use.acquired = true;
        }
      }
    }
  }

  /**
   * Makes one call. An interrupted caller cancels the call and gets the {@link
   * InterruptedException}; network failures and over-long answers are {@link IOException}s. A call
   * that fails on a pooled connection (which the server may have closed between two probes) is made
   * once more, on a new connection; nothing else is retried.
   */
  static Answer call(OkHttpClient client, Request request)
      throws IOException, InterruptedException {
    PoolUse first = new PoolUse();
    try {
      return callOnce(client, request.newBuilder().tag(PoolUse.class, first).build());
    } catch (IOException e) {
      if (!first.staleSuspect() || e instanceof InterruptedIOException) {
        throw e;
      }
      // The dead connection has left the pool; the retry opens a fresh one (or reuses a live one).
      client.connectionPool().evictAll();
      return callOnce(client, request.newBuilder().tag(PoolUse.class, new PoolUse()).build());
    }
  }

  private static Answer callOnce(OkHttpClient client, Request request)
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

  /** 5xx: the server is there but cannot answer; an error, not a verdict on the release. */
  static boolean isServerError(int code) {
    return code >= 500 && code <= 599;
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
      if (untrusted(e)) {
        return "TLS with "
            + where
            + " failed: the server's certificate is not trusted (set ca_file, or insecure: true)";
      }
      return "TLS with " + where + " failed: " + javaFree(e.getMessage());
    }
    return "calling " + where + " failed: " + javaFree(e.getMessage());
  }

  private static boolean untrusted(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.security.cert.CertPathBuilderException
          || t instanceof java.security.cert.CertPathValidatorException
          || t instanceof java.security.cert.CertificateException) {
        return true;
      }
    }
    return false;
  }

  /** A JDK message without the Java class names some of them start with. */
  private static String javaFree(String message) {
    if (message == null || message.isBlank()) {
      return "connection failed";
    }
    return message.replaceAll(
        "\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ?", "");
  }

  /** The URL as shown in details: without user name and password. */
  static String shown(HttpUrl url) {
    return url.newBuilder().username("").password("").build().toString();
  }

  /** Parses a URL a plan gave, as a {@link ProbeException} naming the property when it is bad. */
  static HttpUrl url(String url, String property) {
    return url(url, property, new EnvReferences(java.util.Map.of()));
  }

  /**
   * Parses a URL a plan gave, with {@code ${env:NAME}} anywhere in it replaced from the
   * environment; a user name or password ({@code https://user:${env:PASS}@host}) may hold
   * references too. Messages show the URL without its user information.
   */
  static HttpUrl url(String url, String property, EnvReferences env) {
    String user = null;
    String password = null;
    String rest = url;
    Matcher m = USERINFO.matcher(url);
    if (m.matches()) {
      String info = m.group(2);
      int colon = MonitorSecrets.passwordColon(info);
      user = env.resolve(colon < 0 ? info : info.substring(0, colon), property + " (user)");
      password =
          colon < 0 ? null : env.resolve(info.substring(colon + 1), property + " (password)");
      rest = m.group(1) + m.group(3);
    }
    HttpUrl parsed = HttpUrl.parse(env.resolve(rest, property));
    if (parsed == null) {
      throw new ProbeException(
          property + ": \"" + withoutUserinfo(url) + "\" is not an http(s) URL");
    }
    HttpUrl.Builder builder = parsed.newBuilder();
    if (user != null) {
      builder.username(percentDecoded(user));
    }
    if (password != null) {
      builder.password(percentDecoded(password));
    }
    return builder.build();
  }

  private static String percentDecoded(String text) {
    try {
      return java.net.URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return text;
    }
  }

  /** A URL as a plan wrote it, its user information replaced: safe in any message. */
  static String withoutUserinfo(String url) {
    Matcher m = USERINFO.matcher(url);
    return m.matches() ? m.group(1) + "<credentials>@" + m.group(3) : url;
  }

  /**
   * Basic authentication from the URL's user name and password, as curl and browsers send it;
   * okhttp itself ignores them.
   */
  static Optional<String> basicAuth(HttpUrl url) {
    if (url.username().isEmpty() && url.password().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(Credentials.basic(url.username(), url.password(), StandardCharsets.UTF_8));
  }
}
