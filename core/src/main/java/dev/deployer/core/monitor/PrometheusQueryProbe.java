package dev.deployer.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * Runs a PromQL instant query ({@code GET /api/v1/query}) and passes on an empty result ({@code
 * if_empty}) or on a non-empty one ({@code if_vector}). An unreachable server, an HTTP error, a
 * refused login, a rejected query and an answer that is not Prometheus JSON are errors: they say
 * nothing about the release.
 */
public final class PrometheusQueryProbe implements Probe {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Monitor.PrometheusProbe settings;
  private final HttpUrl queryUrl;
  private final Optional<String> authorization;
  private final Duration timeout;
  private final OkHttpClient client;
  private final int maxResults;

  /**
   * @param environment where {@code ${env:NAME}} in {@code username}, {@code password} and {@code
   *     bearer_token} are looked up
   * @param timeout bounds each call (connecting by at most 5s)
   * @throws ProbeException for a bad URL, an unset variable, an unreadable CA file, or both basic
   *     auth and a bearer token
   */
  public PrometheusQueryProbe(
      Monitor.PrometheusProbe settings, Map<String, String> environment, Duration timeout) {
    this(settings, environment, timeout, -1);
  }

  /**
   * A probe that counts instead: it passes while the query returns at most {@code maxResults}
   * series (as helm-monitor's {@code --expected-result-count}); a negative count means the
   * settings' {@code success_mode} decides.
   */
  public PrometheusQueryProbe(
      Monitor.PrometheusProbe settings,
      Map<String, String> environment,
      Duration timeout,
      int maxResults) {
    this.maxResults = maxResults;
    this.settings = settings;
    this.timeout = timeout;
    EnvReferences env = new EnvReferences(environment);
    HttpUrl base = ProbeHttp.url(settings.url(), "prometheus.url", env);
    this.queryUrl =
        base.newBuilder()
            .addPathSegments("api/v1/query")
            .addQueryParameter("query", settings.expr())
            .build();
    Optional<String> username = env.resolve(settings.username(), "prometheus.username");
    Optional<String> password = env.resolve(settings.password(), "prometheus.password");
    Optional<String> bearer = env.resolve(settings.bearerToken(), "prometheus.bearer_token");
    if (bearer.isPresent() && (username.isPresent() || password.isPresent())) {
      throw new ProbeException(
          "prometheus: set either username and password or bearer_token, not both");
    }
    if (bearer.isPresent()) {
      this.authorization = Optional.of("Bearer " + bearer.get());
    } else if (username.isPresent() || password.isPresent()) {
      this.authorization =
          Optional.of(
              Credentials.basic(username.orElse(""), password.orElse(""), StandardCharsets.UTF_8));
    } else {
      this.authorization = ProbeHttp.basicAuth(base);
    }
    this.client =
        ProbeHttp.client(
            new ProbeHttp.Options(timeout, settings.caFile(), settings.insecure(), true),
            "prometheus.ca_file");
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    Request.Builder request = new Request.Builder().url(queryUrl).get();
    request.header("Accept", "application/json");
    authorization.ifPresent(a -> request.header("Authorization", a));
    ProbeHttp.Answer answer;
    try {
      answer = ProbeHttp.call(client, request.build());
    } catch (IOException e) {
      return ProbeResult.error(
          "Prometheus query failed: " + ProbeHttp.describe(e, queryUrl, timeout));
    }
    return judge(answer);
  }

  private ProbeResult judge(ProbeHttp.Answer answer) {
    String server = ProbeHttp.shown(queryUrl.newBuilder().encodedPath("/").query(null).build());
    if (answer.code() == 401 || answer.code() == 403) {
      return ProbeResult.error(
          "Prometheus at "
              + server
              + (authorization.isPresent()
                  ? " refused the credentials (HTTP " + answer.code() + ")"
                  : " wants credentials (HTTP "
                      + answer.code()
                      + "): set username and password, or bearer_token"));
    }
    JsonNode root;
    try {
      root = JSON.readTree(answer.body());
    } catch (JsonProcessingException e) {
      root = null;
    }
    if (root == null || !root.isObject() || !root.has("status")) {
      return ProbeResult.error(
          "Prometheus at "
              + server
              + " answered HTTP "
              + answer.code()
              + " that is not a Prometheus API answer: "
              + excerpt(answer.body()));
    }
    if (!"success".equals(root.path("status").asText())) {
      // Prometheus answers 400 or 422 with this shape for a query it cannot run.
      return ProbeResult.error(
          "Prometheus rejected the query "
              + settings.expr()
              + " (HTTP "
              + answer.code()
              + ", "
              + root.path("errorType").asText("error")
              + "): "
              + root.path("error").asText(""));
    }
    if (answer.code() / 100 != 2) {
      return ProbeResult.error(
          "Prometheus at " + server + " answered HTTP " + answer.code() + " to the query");
    }
    JsonNode data = root.path("data");
    String type = data.path("resultType").asText("");
    JsonNode result = data.path("result");
    int size;
    String first;
    switch (type) {
      case "vector", "matrix" -> {
        if (!result.isArray()) {
          return ProbeResult.error("Prometheus answered a " + type + " without a result list");
        }
        size = result.size();
        first = size == 0 ? "" : sample(result.get(0));
      }
      case "scalar", "string" -> {
        size = 1;
        first = value(result);
      }
      default -> {
        return ProbeResult.error("Prometheus answered an unknown result type \"" + type + "\"");
      }
    }
    String found =
        size == 0
            ? "the query returned no series"
            : "the query returned " + size + " " + noun(type) + ", first " + first;
    if (maxResults >= 0) {
      boolean fine = size <= maxResults;
      return new ProbeResult(
          fine,
          "at most " + maxResults + (fine ? " expected, passes: " : " expected, fails: ") + found);
    }
    boolean passes = (size == 0) == (settings.successMode() == Monitor.SuccessMode.IF_EMPTY);
    String verdict =
        settings.successMode().yamlName() + (passes ? " passes: " : " fails: ") + found;
    return new ProbeResult(passes, verdict);
  }

  /** "series" is its own plural; scalar and string results are single. */
  private static String noun(String type) {
    return switch (type) {
      case "vector", "matrix" -> "series";
      default -> type;
    };
  }

  /** {@code up{job="app"} = 1} for a vector sample, the last value for a matrix series. */
  private static String sample(JsonNode series) {
    StringBuilder out = new StringBuilder();
    JsonNode metric = series.path("metric");
    String name = metric.path("__name__").asText("");
    out.append(name).append('{');
    boolean firstLabel = true;
    for (Map.Entry<String, JsonNode> label : metric.properties()) {
      if (label.getKey().equals("__name__")) {
        continue;
      }
      if (!firstLabel) {
        out.append(", ");
      }
      firstLabel = false;
      out.append(label.getKey()).append("=\"").append(label.getValue().asText()).append('"');
    }
    out.append('}');
    JsonNode value = series.has("value") ? series.path("value") : lastOf(series.path("values"));
    return out.append(" = ").append(value(value)).toString();
  }

  private static JsonNode lastOf(JsonNode values) {
    return values.isArray() && values.size() > 0 ? values.get(values.size() - 1) : values;
  }

  /** A {@code [timestamp, "value"]} pair's value. */
  private static String value(JsonNode pair) {
    return pair.isArray() && pair.size() == 2 ? pair.get(1).asText() : pair.toString();
  }

  static String excerpt(String body) {
    String oneLine = body.strip().replaceAll("\\s+", " ");
    if (oneLine.isEmpty()) {
      return "(empty body)";
    }
    return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
  }
}
