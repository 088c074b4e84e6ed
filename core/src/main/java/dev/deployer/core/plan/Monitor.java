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
      implements Probe {}

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
      implements Probe {}

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
  }

  /** Watches the pods of the releases that reference the monitor. */
  public record KubernetesProbe(int maxRestarts, boolean requireReady, Duration flapWindow)
      implements Probe {}
}
