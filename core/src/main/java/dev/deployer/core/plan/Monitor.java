package dev.deployer.core.plan;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A post-deploy check: probes run every {@code interval} (start to start, the first at once);
 * {@code successThreshold} consecutive successes pass it, {@code failureThreshold} consecutive
 * failures fail it, and reaching {@code totalTimeout} first fails it too. Probes that cannot reach
 * their backend are errors, counted apart unless {@code onError} is {@link OnError#FAIL}.
 */
public record Monitor(
    String name,
    Type type,
    Duration interval,
    Duration iterationTimeout,
    Duration totalTimeout,
    int successThreshold,
    int failureThreshold,
    OnError onError,
    Probe probe,
    Location location,
    List<Problem> literalSecrets) {

  /**
   * @param literalSecrets credentials its settings hold as literal text, each where it is written
   *     (see {@link MonitorSecrets}); {@code build} refuses them
   */
  public Monitor {
    literalSecrets = List.copyOf(literalSecrets);
  }

  /** A monitor whose settings hold no literal credential. */
  public Monitor(
      String name,
      Type type,
      Duration interval,
      Duration iterationTimeout,
      Duration totalTimeout,
      int successThreshold,
      int failureThreshold,
      OnError onError,
      Probe probe,
      Location location) {
    this(
        name,
        type,
        interval,
        iterationTimeout,
        totalTimeout,
        successThreshold,
        failureThreshold,
        onError,
        probe,
        location,
        List.of());
  }

  public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_ITERATION_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_THRESHOLD = 3;

  /**
   * A monitor with the defaults a plan's monitor block gets when it sets only its type and
   * settings: the type is that of {@code probe}; change the rest with the {@code with} methods.
   */
  public static Monitor of(String name, Probe probe, Location location) {
    return new Monitor(
        name,
        typeOf(probe),
        DEFAULT_INTERVAL,
        DEFAULT_ITERATION_TIMEOUT,
        DEFAULT_TOTAL_TIMEOUT,
        DEFAULT_THRESHOLD,
        DEFAULT_THRESHOLD,
        OnError.ERROR,
        probe,
        location,
        List.of());
  }

  /** The type whose settings block {@code probe} is. */
  public static Type typeOf(Probe probe) {
    if (probe instanceof PrometheusProbe) {
      return Type.PROMETHEUS;
    }
    if (probe instanceof HttpProbe) {
      return Type.HTTP;
    }
    if (probe instanceof ElasticsearchProbe) {
      return Type.ELASTICSEARCH;
    }
    if (probe instanceof SentryProbe) {
      return Type.SENTRY;
    }
    return Type.KUBERNETES;
  }

  public Monitor withInterval(Duration interval) {
    return Records.with(this, "interval", interval);
  }

  /** With these {@code iteration_timeout} and {@code total_timeout}. */
  public Monitor withTimeouts(Duration iterationTimeout, Duration totalTimeout) {
    return Records.with(this, "iterationTimeout", iterationTimeout, "totalTimeout", totalTimeout);
  }

  /** With these {@code success_threshold} and {@code failure_threshold}. */
  public Monitor withThresholds(int successThreshold, int failureThreshold) {
    return Records.with(
        this, "successThreshold", successThreshold, "failureThreshold", failureThreshold);
  }

  /**
   * The same monitor with other probe settings of its type and no literal credential: a planfile's
   * copy, whose credentials are redacted or {@code ${env:NAME}} references.
   */
  public Monitor withRedactedProbe(Probe probe) {
    return new Monitor(
        name,
        type,
        interval,
        iterationTimeout,
        totalTimeout,
        successThreshold,
        failureThreshold,
        onError,
        probe,
        location);
  }

  public Monitor withOnError(OnError onError) {
    return Records.with(this, "onError", onError);
  }

  /**
   * What a probe that cannot reach its backend (refused connection, unknown host, TLS failure, HTTP
   * 5xx, an answer that is not the backend's API) counts as.
   */
  public enum OnError {
    /**
     * An error, apart from failures: {@code failure_threshold} consecutive errors end the monitor
     * {@code error}, which triggers no action.
     */
    ERROR,
    /** A failure, like any other: it may end the monitor {@code failed} and trigger its action. */
    FAIL;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The monitor types; each has a settings block of the same name. */
  public enum Type {
    PROMETHEUS,
    HTTP,
    ELASTICSEARCH,
    SENTRY,
    KUBERNETES;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The settings of one monitor type. */
  public sealed interface Probe
      permits PrometheusProbe, HttpProbe, ElasticsearchProbe, SentryProbe, KubernetesProbe {}

  /** When a Prometheus query result counts as a success. */
  public enum SuccessMode {
    /** An empty result passes: the query selects what is wrong. */
    IF_EMPTY,
    /** A non-empty result passes: the query selects what is healthy. */
    IF_VECTOR;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Runs a PromQL query. */
  public record PrometheusProbe(
      String url,
      String expr,
      SuccessMode successMode,
      Optional<String> username,
      Optional<String> password,
      Optional<String> bearerToken,
      Optional<String> caFile,
      boolean insecure)
      implements Probe {

    /** {@code expr} against {@code url}: an empty result passes; no credentials, system TLS. */
    public static PrometheusProbe of(String url, String expr) {
      return new PrometheusProbe(
          url,
          expr,
          SuccessMode.IF_EMPTY,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          false);
    }

    public PrometheusProbe withSuccessMode(SuccessMode successMode) {
      return new PrometheusProbe(
          url, expr, successMode, username, password, bearerToken, caFile, insecure);
    }

    public PrometheusProbe withInsecure(boolean insecure) {
      return new PrometheusProbe(
          url, expr, successMode, username, password, bearerToken, caFile, insecure);
    }
  }

  /** Calls a URL and checks the status code and, optionally, the body. */
  public record HttpProbe(
      String url,
      String method,
      Map<String, String> headers,
      Optional<String> body,
      List<Integer> expectedCodes,
      Optional<String> bodyRegex,
      boolean insecure)
      implements Probe {
    public HttpProbe {
      headers = Map.copyOf(headers);
      expectedCodes = List.copyOf(expectedCodes);
    }
  }

  /** Counts matching documents; more than {@code maxCount} fails the probe. */
  public record ElasticsearchProbe(
      String url,
      Optional<String> index,
      Optional<String> query,
      Optional<String> queryFile,
      long maxCount,
      Optional<String> username,
      Optional<String> password,
      boolean insecure)
      implements Probe {

    /**
     * A count in all indices of {@code url}, failing above {@code maxCount}; give the query with
     * {@link #withQuery} or {@link #withQueryFile}.
     */
    public static ElasticsearchProbe of(String url, long maxCount) {
      return new ElasticsearchProbe(
          url,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          maxCount,
          Optional.empty(),
          Optional.empty(),
          false);
    }

    /** In this index pattern; empty: all indices. */
    public ElasticsearchProbe withIndex(Optional<String> index) {
      return new ElasticsearchProbe(
          url, index, query, queryFile, maxCount, username, password, insecure);
    }

    /** With a Lucene query string (and no query file). */
    public ElasticsearchProbe withQuery(String query) {
      return new ElasticsearchProbe(
          url, index, Optional.of(query), Optional.empty(), maxCount, username, password, insecure);
    }

    /** With a file holding a query-DSL body (and no query string). */
    public ElasticsearchProbe withQueryFile(String queryFile) {
      return new ElasticsearchProbe(
          url,
          index,
          Optional.empty(),
          Optional.of(queryFile),
          maxCount,
          username,
          password,
          insecure);
    }
  }

  /** Counts Sentry events; more than {@code maxCount} fails the probe. */
  public record SentryProbe(
      String url,
      Optional<String> apiKey,
      String organization,
      String project,
      Map<String, String> tags,
      Optional<String> messageRegexp,
      long maxCount)
      implements Probe {
    public SentryProbe {
      tags = Map.copyOf(tags);
    }

    /** The events of one project, failing above {@code maxCount}; no token, tags or regexp. */
    public static SentryProbe of(String url, String organization, String project, long maxCount) {
      return new SentryProbe(
          url, Optional.empty(), organization, project, Map.of(), Optional.empty(), maxCount);
    }

    /** With this API token, a literal or an {@code ${env:NAME}} reference. */
    public SentryProbe withApiKey(String apiKey) {
      return new SentryProbe(
          url, Optional.of(apiKey), organization, project, tags, messageRegexp, maxCount);
    }

    /** Only events with all these tags. */
    public SentryProbe withTags(Map<String, String> tags) {
      return new SentryProbe(url, apiKey, organization, project, tags, messageRegexp, maxCount);
    }

    /** Only events whose message matches; empty: any message. */
    public SentryProbe withMessageRegexp(Optional<String> messageRegexp) {
      return new SentryProbe(url, apiKey, organization, project, tags, messageRegexp, maxCount);
    }
  }

  /** Watches the pods of the releases that reference the monitor. */
  public record KubernetesProbe(int maxRestarts, boolean requireReady, Duration flapWindow)
      implements Probe {}
}
