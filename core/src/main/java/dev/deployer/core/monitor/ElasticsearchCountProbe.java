package dev.deployer.core.monitor;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deployer.core.plan.Monitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The {@code elasticsearch} monitor: counts the documents matching a query with the {@code _count}
 * API of Elasticsearch or OpenSearch, and fails when there are more than {@code max_count}.
 *
 * <p>A Lucene query string ({@code query}) goes as {@code GET <url>/<index>/_count?q=...}; a
 * query-DSL file ({@code query_file}, read once, when the probe is created) as the body of {@code
 * POST <url>/<index>/_count}. An unreachable server or an error answer is an error (not a failed
 * probe) whose detail carries the server's reason; a configuration that cannot work (a missing
 * query file, an unset password variable) is a {@link ProbeException} from the constructor.
 */
public final class ElasticsearchCountProbe implements Probe {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([^}]*)}");
  private static final int MAX_REASON_LENGTH = 300;

  private final OkHttpClient http;
  private final Duration timeout;
  private final Request request;
  private final HttpUrl shownUrl;
  private final String what;
  private final String where;
  private final long maxCount;

  /**
   * @param settings the monitor's {@code elasticsearch} block
   * @param timeout bounds connecting and the whole call (the monitor's {@code iteration_timeout})
   * @param baseDirectory where a relative {@code query_file} is found (the plan's directory)
   * @param environment where {@code ${env:NAME}} in {@code username} and {@code password} is read
   * @throws ProbeException when the URL, the query or the credentials cannot work
   */
  public ElasticsearchCountProbe(
      Monitor.ElasticsearchProbe settings,
      Duration timeout,
      Path baseDirectory,
      Map<String, String> environment) {
    HttpUrl base =
        ProbeHttp.url(settings.url(), "elasticsearch.url", new EnvReferences(environment));
    if (settings.query().isPresent() == settings.queryFile().isPresent()) {
      throw new ProbeException("elasticsearch needs exactly one of query and query_file");
    }
    this.maxCount = settings.maxCount();
    this.shownUrl = base.newBuilder().username("").password("").build();
    this.where = settings.index().map(index -> "in " + index).orElse("in all indices");

    HttpUrl.Builder url = base.newBuilder();
    settings.index().ifPresent(url::addPathSegment);
    url.addPathSegment("_count");
    Request.Builder builder = new Request.Builder().header("Accept", "application/json");
    if (settings.query().isPresent()) {
      String query = settings.query().get();
      url.addQueryParameter("q", query);
      builder.get();
      this.what = "\"" + query + "\"";
    } else {
      String file = settings.queryFile().get();
      builder.post(RequestBody.create(readQueryFile(baseDirectory, file), JSON_TYPE));
      this.what = "the query in " + file;
    }
    Optional<String> username = settings.username().map(u -> resolve("username", u, environment));
    Optional<String> password = settings.password().map(p -> resolve("password", p, environment));
    if (username.isPresent() || password.isPresent()) {
      builder.header("Authorization", Credentials.basic(username.orElse(""), password.orElse("")));
    } else {
      ProbeHttp.basicAuth(base).ifPresent(auth -> builder.header("Authorization", auth));
    }
    this.request = builder.url(url.build()).build();
    this.timeout = timeout;
    this.http =
        ProbeHttp.client(
            new ProbeHttp.Options(timeout, Optional.empty(), settings.insecure(), false),
            "elasticsearch.ca_file");
  }

  @Override
  public ProbeResult probe() throws InterruptedException {
    try {
      ProbeHttp.Answer response = ProbeHttp.call(http, request);
      String body = response.body();
      if (response.code() / 100 != 2) {
        // An unknown index, a query it cannot parse, a refused login, a server in trouble: the
        // count was not made, so nothing is known about the release.
        return ProbeResult.error(
            "HTTP " + response.code() + " from " + shownUrl + ": " + errorReason(body));
      }
      JsonNode answer = JSON.readTree(body);
      JsonNode failures = answer.path("_shards").path("failures");
      if (answer.path("_shards").path("failed").asLong() > 0) {
        return ProbeResult.error(
            "the count failed on some shards of " + shownUrl + ": " + shardReason(failures));
      }
      JsonNode count = answer.get("count");
      if (count == null || !count.canConvertToLong()) {
        return ProbeResult.error(
            "the answer of " + shownUrl + " has no count: " + abbreviate(body));
      }
      long documents = count.asLong();
      String detail =
          documents
              + (documents == 1 ? " document matches " : " documents match ")
              + what
              + " "
              + where
              + " (max "
              + maxCount
              + ")";
      return new ProbeResult(documents <= maxCount, detail);
    } catch (JsonProcessingException e) {
      return ProbeResult.error(shownUrl + " did not answer JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      return ProbeResult.error(ProbeHttp.describe(e, shownUrl, timeout));
    }
  }

  private static String readQueryFile(Path baseDirectory, String file) {
    Path path = baseDirectory.resolve(file);
    String body;
    try {
      body = Files.readString(path);
    } catch (IOException e) {
      throw new ProbeException("elasticsearch.query_file " + path + " cannot be read: " + e, e);
    }
    try {
      JsonNode query = JSON.readTree(body);
      if (query == null || !query.isObject()) {
        throw new ProbeException(
            "elasticsearch.query_file " + path + " must hold a JSON object such as {\"query\": …}");
      }
      return JSON.writeValueAsString(query);
    } catch (JsonProcessingException e) {
      throw new ProbeException(
          "elasticsearch.query_file " + path + " is not JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** A literal, or {@code ${env:NAME}} read from the environment; never shown in messages. */
  static String resolve(String property, String value, Map<String, String> environment) {
    Matcher reference = ENV_REFERENCE.matcher(value);
    if (reference.matches()) {
      String name = reference.group(1);
      String resolved = environment.get(name);
      if (resolved == null) {
        throw new ProbeException(
            "elasticsearch." + property + ": environment variable " + name + " is not set");
      }
      return resolved;
    }
    // The planfile keeps only ${env:NAME} references; a literal secret was replaced there.
    if (value.startsWith("<redacted")) {
      throw new ProbeException(
          "elasticsearch."
              + property
              + " was left out of the plan: write ${env:NAME} to read it from the environment");
    }
    return value;
  }

  /** The most telling reason in an error answer: the root cause, else the error, else the body. */
  private static String errorReason(String body) {
    JsonNode error;
    try {
      error = JSON.readTree(body).path("error");
    } catch (JsonProcessingException e) {
      return abbreviate(body);
    }
    if (error.isTextual()) {
      return abbreviate(error.asText());
    }
    JsonNode cause = error.path("root_cause").path(0);
    JsonNode reason = cause.hasNonNull("reason") ? cause : error;
    if (!reason.hasNonNull("reason")) {
      return abbreviate(body);
    }
    String type = reason.path("type").asText("");
    return abbreviate((type.isEmpty() ? "" : type + ": ") + reason.path("reason").asText());
  }

  private static String shardReason(JsonNode failures) {
    JsonNode reason = failures.path(0).path("reason");
    if (reason.hasNonNull("reason")) {
      return abbreviate(reason.path("type").asText("") + ": " + reason.path("reason").asText());
    }
    return abbreviate(failures.toString());
  }

  private static String abbreviate(String text) {
    String oneLine = text.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_REASON_LENGTH
        ? oneLine
        : oneLine.substring(0, MAX_REASON_LENGTH) + "…";
  }
}
