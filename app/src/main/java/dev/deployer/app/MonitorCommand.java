package dev.deployer.app;

import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.deploy.ReleaseWatch;
import dev.deployer.core.monitor.Probes;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code deployer monitor}: watches one deployed release and rolls it back to its previous revision
 * when a query finds more than the expected number of results (helm-monitor parity).
 */
@Command(
    name = "monitor",
    mixinStandardHelpOptions = true,
    description = {
      "Watch a deployed release; roll it back when a query finds too many results.",
      "The release goes back to its previous revision when the query finds more than"
          + " --expected-result-count results. Exit 0 when nothing was found until --timeout,"
          + " 1 when the release was rolled back, or when the server could not be queried (3"
          + " errors in a row, or an error as the last query): then the release is left as it"
          + " is."
    },
    subcommands = {
      MonitorCommand.Prometheus.class,
      MonitorCommand.Elasticsearch.class,
      MonitorCommand.Sentry.class
    })
final class MonitorCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** What every watch takes. */
  static final class WatchOptions {
    @Parameters(index = "0", paramLabel = "RELEASE", description = "The Helm release to watch.")
    String release;

    @Option(
        names = {"-n", "--namespace"},
        paramLabel = "NAMESPACE",
        defaultValue = "default",
        description = "Its namespace (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(
        names = "--interval",
        paramLabel = "DURATION",
        defaultValue = "10s",
        converter = OptionTypes.PositiveDuration.class,
        description = "Time between queries (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(
        names = "--timeout",
        paramLabel = "DURATION",
        defaultValue = "5m",
        converter = OptionTypes.PositiveDuration.class,
        description = "How long to watch (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
        names = "--expected-result-count",
        paramLabel = "N",
        defaultValue = "0",
        converter = OptionTypes.NonNegative.class,
        description = "Results tolerated; more roll the release back (default: ${DEFAULT-VALUE}).")
    int expectedResultCount;

    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        defaultValue = "30s",
        converter = OptionTypes.GoDurationValue.class,
        description =
            "After SIGINT or SIGTERM, how long a running rollback may take to end before deployer"
                + " exits anyway (default: ${DEFAULT-VALUE}).")
    Duration grace;

    @Mixin KubeOptions kube;
    @Mixin ProgressOptions progress;

    Duration interval() {
      return interval;
    }

    Duration timeout() {
      return timeout;
    }
  }

  /**
   * Watches with the probe core makes from {@code settings}; a Prometheus query tolerates {@code
   * --expected-result-count} series, the other counts carry it as their {@code maxCount}.
   */
  static int watch(CommandSpec spec, WatchOptions watch, String kind, Monitor.Probe settings) {
    Instant since = Instant.now();
    var probeEnv = DeployerCommand.environment(spec);
    var env = watch.kube.environment(probeEnv);
    Release release = Release.named(watch.release, watch.namespace, watch.kube.context());
    Duration perProbe = ReleaseWatch.probeTimeout(watch.timeout());
    try (KubernetesCluster cluster = KubernetesCluster.create(env, watch.kube.context())) {
      return Interrupts.run(
          watch.grace,
          c -> {
            Console console = Console.of(spec, watch.progress);
            ReleaseWatch.Result result =
                console.around(
                    () ->
                        new ReleaseWatch(cluster)
                            .watch(
                                release,
                                kind,
                                Probes.forWatch(
                                    settings,
                                    watch.expectedResultCount,
                                    perProbe,
                                    since,
                                    probeEnv,
                                    Path.of("")),
                                watch.interval(),
                                watch.timeout(),
                                console,
                                c));
            var out = spec.commandLine().getOut();
            out.printf(
                "%s: %s after %d %s%s%s%n",
                result.release(),
                result.outcome(),
                result.probes(),
                result.probes() == 1 ? "query" : "queries",
                result.revision().map(r -> " (now revision " + r + ")").orElse(""),
                result.lastResult().isEmpty() ? "" : "; last: " + result.lastResult());
            out.flush();
            return Outcomes.monitorExitCode(result.healthy());
          });
    }
  }

  /** {@code deployer monitor prometheus RELEASE QUERY}. */
  @Command(
      name = "prometheus",
      mixinStandardHelpOptions = true,
      description = "Watch with a PromQL query: its series are the results.")
  static final class Prometheus implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WatchOptions watch;

    @Parameters(
        index = "1",
        paramLabel = "QUERY",
        description = "PromQL, e.g. 'rate(http_requests_total{code=~\"5..\"}[5m]) > 0'.")
    String query;

    @Option(
        names = "--prometheus",
        paramLabel = "URL",
        defaultValue = "http://localhost:9090",
        description = "Prometheus URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Override
    public Integer call() {
      return watch(spec, watch, "prometheus", Monitor.PrometheusProbe.of(url, query));
    }
  }

  /** {@code deployer monitor elasticsearch RELEASE QUERY|FILE}. */
  @Command(
      name = "elasticsearch",
      mixinStandardHelpOptions = true,
      description =
          "Watch with a document count: a Lucene query string, or a file holding a query-DSL body.")
  static final class Elasticsearch implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WatchOptions watch;

    @Parameters(
        index = "1",
        paramLabel = "QUERY|FILE",
        description = "e.g. 'status:500 AND kubernetes.labels.app:api', or query.json.")
    String query;

    @Option(
        names = "--elasticsearch",
        paramLabel = "URL",
        defaultValue = "http://localhost:9200",
        description = "Elasticsearch or OpenSearch URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--index",
        paramLabel = "PATTERN",
        description = "Index pattern (default: all indices).")
    String index;

    @Override
    public Integer call() {
      Monitor.ElasticsearchProbe counting =
          Monitor.ElasticsearchProbe.of(url, watch.expectedResultCount)
              .withIndex(Optional.ofNullable(index));
      boolean file = Files.isRegularFile(Path.of(query));
      return watch(
          spec,
          watch,
          "elasticsearch",
          file ? counting.withQueryFile(query) : counting.withQuery(query));
    }
  }

  /** {@code deployer monitor sentry RELEASE}. */
  @Command(
      name = "sentry",
      mixinStandardHelpOptions = true,
      description = "Watch with the count of new Sentry events of a project.")
  static final class Sentry implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin WatchOptions watch;

    @Option(
        names = "--sentry",
        paramLabel = "URL",
        defaultValue = "https://sentry.io",
        description = "Sentry URL (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(
        names = "--organization",
        paramLabel = "SLUG",
        required = true,
        description = "Organization slug.")
    String organization;

    @Option(
        names = "--project",
        paramLabel = "SLUG",
        required = true,
        description = "Project slug.")
    String project;

    @Option(
        names = "--api-key-env",
        paramLabel = "NAME",
        defaultValue = "SENTRY_API_KEY",
        description =
            "Environment variable holding the API token (default: ${DEFAULT-VALUE}); the token is never printed.")
    String apiKeyEnv;

    @Option(
        names = "--tag",
        paramLabel = "KEY=VALUE",
        description = "Only events with this tag (repeatable).")
    Map<String, String> tags = new LinkedHashMap<>();

    @Option(
        names = "--message-regexp",
        paramLabel = "REGEXP",
        description = "Only events whose message matches.")
    String messageRegexp;

    @Override
    public Integer call() {
      Monitor.SentryProbe settings =
          Monitor.SentryProbe.of(url, organization, project, watch.expectedResultCount)
              .withApiKey("${env:" + apiKeyEnv + "}")
              .withTags(tags)
              .withMessageRegexp(Optional.ofNullable(messageRegexp));
      return watch(spec, watch, "sentry", settings);
    }
  }
}
