package dev.deployer.core.monitor;

import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * Calls a URL once and passes when the status code is expected and, with {@code body_regex}, the
 * body contains a match. Redirects are followed unless a 3xx code is expected. A server that cannot
 * be reached, or answers an unexpected 5xx, is an error; another unexpected code, or a body that
 * does not match, a failure. A user name and password in the URL are sent as basic authentication,
 * unless an {@code Authorization} header is given.
 */
public final class HttpRequestProbe implements Probe {
  // okhttp refuses these without a body; an empty one is what a plan without `body` means.
  private static final Set<String> METHODS_NEEDING_BODY =
      Set.of("POST", "PUT", "PATCH", "PROPPATCH", "REPORT");

  private final Monitor.HttpProbe settings;
  private final HttpUrl url;
  private final Headers headers;
  private final Optional<RequestBody> body;
  private final Optional<Pattern> bodyRegex;
  private final Duration timeout;
  private final OkHttpClient client;

  /**
   * @param environment where {@code ${env:NAME}} in the URL, header values and the body are looked
   *     up
   * @param timeout bounds the call (connecting by at most 5s)
   * @throws ProbeException for a bad URL, method or regex, an unset variable, or a body on a method
   *     that takes none
   */
  public HttpRequestProbe(
      Monitor.HttpProbe settings, Map<String, String> environment, Duration timeout) {
    this.settings = settings;
    this.timeout = timeout;
    EnvReferences env = new EnvReferences(environment);
    this.url = ProbeHttp.url(settings.url(), "http.url", env);
    Headers.Builder sent = new Headers.Builder();
    ProbeHttp.basicAuth(url).ifPresent(auth -> sent.set("Authorization", auth));
    settings
        .headers()
        .forEach(
            (name, value) -> {
              String property = "http.headers." + name;
              String resolved = env.resolve(value, property);
              try {
                sent.set(name, resolved);
              } catch (IllegalArgumentException e) {
                // okhttp's message quotes the value, which may be a secret.
                throw new ProbeException(
                    property
                        + ": HTTP allows neither this name nor control or non-ASCII characters");
              }
            });
    this.headers = sent.build();
    String method = settings.method();
    if (!method.matches("[A-Z]+")) {
      throw new ProbeException("http.method: \"" + method + "\" is not an HTTP method");
    }
    Optional<String> text = env.resolve(settings.body(), "http.body");
    if (text.isPresent() && (method.equals("GET") || method.equals("HEAD"))) {
      throw new ProbeException("http.body: a " + method + " request cannot have a body");
    }
    MediaType type = contentType(headers);
    if (text.isPresent()) {
      this.body = Optional.of(RequestBody.create(text.get(), type));
    } else if (METHODS_NEEDING_BODY.contains(method)) {
      this.body = Optional.of(RequestBody.create(new byte[0], type));
    } else {
      this.body = Optional.empty();
    }
    try {
      this.bodyRegex = settings.bodyRegex().map(Pattern::compile);
    } catch (PatternSyntaxException e) {
      throw new ProbeException(
          "http.body_regex: not a valid regular expression: " + e.getDescription(), e);
    }
    boolean expectsRedirect = settings.expectedCodes().stream().anyMatch(c -> c / 100 == 3);
    this.client =
        ProbeHttp.client(
            new ProbeHttp.Options(timeout, Optional.empty(), settings.insecure(), !expectsRedirect),
            "http.ca_file");
  }

  private static MediaType contentType(Headers headers) {
    String value = headers.get("Content-Type");
    if (value == null) {
      return null;
    }
    MediaType type = MediaType.parse(value);
    if (type == null) {
      throw new ProbeException("http.headers.Content-Type: not a media type such as text/plain");
    }
    return type;
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    Request.Builder request = new Request.Builder().url(url);
    request.headers(headers);
    request.method(settings.method(), body.orElse(null));
    ProbeHttp.Answer answer;
    try {
      answer = ProbeHttp.call(client, request.build());
    } catch (IOException e) {
      return ProbeResult.error(ProbeHttp.describe(e, url, timeout));
    }
    String status =
        "HTTP " + answer.code() + " from " + settings.method() + " " + ProbeHttp.shown(url);
    if (!settings.expectedCodes().contains(answer.code())) {
      String expected =
          settings.expectedCodes().size() == 1
              ? String.valueOf(settings.expectedCodes().get(0))
              : "one of " + settings.expectedCodes();
      String detail = status + " (expected " + expected + ")";
      return ProbeHttp.isServerError(answer.code())
          ? ProbeResult.error(detail)
          : ProbeResult.failure(detail);
    }
    if (bodyRegex.isPresent() && !bodyRegex.get().matcher(answer.body()).find()) {
      return ProbeResult.failure(
          "body does not match "
              + bodyRegex.get().pattern()
              + " ("
              + status
              + ", body: "
              + PrometheusQueryProbe.excerpt(answer.body())
              + ")");
    }
    return ProbeResult.success(
        status + bodyRegex.map(p -> ", body matches " + p.pattern()).orElse(""));
  }
}
