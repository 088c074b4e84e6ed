package dev.deployer.core.plandir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.WaitStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planfile is one typed mapping both ways: what build writes, a plan directory reads back as
 * the same document, and writing that again gives the same bytes.
 */
class PlanfileTest {
  @TempDir Path dir;

  static final Path NOWHERE = Path.of("deployer.yml");
  static final Location AT = Location.of(NOWHERE);

  /** Every option away from its default, so that one the reader forgot shows as a difference. */
  static final Release.Deployment DEPLOY =
      new Release.Deployment(
          WaitStrategy.LEGACY,
          true,
          Duration.ofSeconds(450),
          true,
          true,
          3,
          Release.PendingReleaseStrategy.WAIT,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          true,
          List.of("./kustomize.sh", "--flag"),
          Optional.of("foreground"),
          true);

  static Monitor monitor(String name, Monitor.Probe probe) {
    return Monitor.of(name, probe, AT)
        .withInterval(Duration.ofSeconds(15))
        .withTimeouts(Duration.ofSeconds(5), Duration.ofMinutes(3))
        .withThresholds(4, 2)
        .withOnError(Monitor.OnError.FAIL);
  }

  /** Monitors of every type, every setting given (those that exclude each other apart). */
  static final List<Monitor> MONITORS =
      List.of(
          monitor(
              "es-file",
              new Monitor.ElasticsearchProbe(
                  "https://es:9200",
                  Optional.of("logs-*"),
                  Optional.empty(),
                  Optional.of("../queries/errors.json"),
                  7,
                  Optional.of("elastic"),
                  Optional.of("${env:ES_PASSWORD}"),
                  true)),
          monitor(
              "es-query",
              new Monitor.ElasticsearchProbe(
                  "https://es:9200",
                  Optional.empty(),
                  Optional.of("{\"match\": {\"level\": \"error\"}}"),
                  Optional.empty(),
                  0,
                  Optional.empty(),
                  Optional.empty(),
                  false)),
          monitor(
              "health",
              new Monitor.HttpProbe(
                  "https://api.example/healthz?token=${env:TOKEN}",
                  "POST",
                  Map.of("Authorization", "Bearer ${env:API_TOKEN}", "X-Trace", "on"),
                  Optional.of("{\"ping\": true}"),
                  List.of(200, 204),
                  Optional.of("\"ok\": *true"),
                  true)),
          monitor("pods", new Monitor.KubernetesProbe(2, false, Duration.ofSeconds(90))),
          monitor(
              "prom-basic",
              new Monitor.PrometheusProbe(
                  "http://prometheus:9090",
                  "sum(rate(errors[1m])) > 0",
                  Monitor.SuccessMode.IF_EMPTY,
                  Optional.of("reader"),
                  Optional.of("${env:PROM_PASSWORD}"),
                  Optional.empty(),
                  Optional.of("ca.pem"),
                  true)),
          monitor(
              "prom-token",
              new Monitor.PrometheusProbe(
                  "http://prometheus:9090",
                  "up == 1",
                  Monitor.SuccessMode.IF_VECTOR,
                  Optional.empty(),
                  Optional.empty(),
                  Optional.of("${env:PROM_TOKEN}"),
                  Optional.empty(),
                  false)),
          monitor(
              "sentry",
              new Monitor.SentryProbe(
                  "https://sentry.example",
                  Optional.of("${env:SENTRY_TOKEN}"),
                  "acme",
                  "shop",
                  Map.of("environment", "prod", "release", "1.2.3"),
                  Optional.of("Timeout.*"),
                  5)));

  static Lifecycle lifecycle(String prefix) {
    Map<Lifecycle.Phase, List<Lifecycle.Hook>> hooks = new EnumMap<>(Lifecycle.Phase.class);
    for (Lifecycle.Phase p : Lifecycle.Phase.values()) {
      if (p == Lifecycle.Phase.PRE_BUILD || p == Lifecycle.Phase.POST_BUILD) {
        continue;
      }
      hooks.put(
          p,
          List.of(
              new Lifecycle.Hook("sh", List.of("-c", prefix + " " + p.yamlName()), true, false, AT),
              new Lifecycle.Hook("true", List.of(), false, true, AT)));
    }
    return new Lifecycle(hooks);
  }

  static Planfile.Entry entry(
      String name, Planfile.Chart chart, Optional<String> context, Optional<Integer> live) {
    String unique = name + "@shop" + context.map(c -> "@" + c).orElse("");
    return new Planfile.Entry(
        unique,
        name,
        "shop",
        context,
        context.map(c -> "the " + name + " in " + c),
        chart,
        List.of(
            new Planfile.ValuesEntry(
                "values/" + name + ".yml", "values/" + unique + "/0.yml", "sha256:aa"),
            new Planfile.ValuesEntry(
                "values/prod.yml", "values/" + unique + "/1.yml", "sha256:bb")),
        List.of("backend", "critical"),
        List.of("db@shop"),
        List.of(
            new MonitorRef("health", MonitorRef.Action.ROLLBACK, AT),
            new MonitorRef("pods", MonitorRef.Action.UNINSTALL, AT),
            new MonitorRef("sentry", MonitorRef.Action.NONE, AT)),
        DEPLOY,
        "1.31.0",
        "manifests/" + unique + ".yml",
        "sha256:cc",
        lifecycle(name),
        live);
  }

  static final Planfile.Document FULL =
      new Planfile.Document(
          true,
          "shop",
          Optional.of("../deployer.yml"),
          List.of(
              entry(
                  "api",
                  new Planfile.Chart(
                      "vendored",
                      "bitnami/nginx",
                      "nginx",
                      "18.1.2",
                      "sha256:dd",
                      "charts/nginx-18.1.2.tgz",
                      "^18.1",
                      "https://charts.example"),
                  Optional.of("prod"),
                  Optional.of(4)),
              entry(
                  "db",
                  new Planfile.Chart(
                      "local", "./charts/db", "db", "0.1.0", "sha256:ee", "../charts/db", "", ""),
                  Optional.empty(),
                  Optional.empty()),
              entry(
                  "web",
                  new Planfile.Chart(
                      "archive",
                      "./web-1.0.0.tgz",
                      "web",
                      "",
                      "sha256:ff",
                      "../web-1.0.0.tgz",
                      "",
                      ""),
                  Optional.empty(),
                  Optional.of(1))),
          MONITORS,
          lifecycle("plan"));

  Planfile.Document read(String planfile) throws IOException {
    Files.writeString(dir.resolve("planfile"), planfile);
    return PlanDirectory.open(dir).planfile();
  }

  @Test
  void aPlanfileWithEveryFieldSetReadsBackAsTheSameDocumentAndWritesTheSameBytes()
      throws IOException {
    String written = Planfile.write(FULL);
    Planfile.Document read = read(written);

    assertThat(read)
        .usingRecursiveComparison()
        .ignoringFieldsOfTypes(Location.class)
        .isEqualTo(FULL);
    assertThat(Planfile.write(read)).isEqualTo(written);
    // Values keep their YAML types: strings that look like numbers or booleans are quoted.
    assertThat(written)
        .startsWith("format: deployer.dev/planfile/v1\ninclude_tests: true\nlifecycle:\n")
        .contains("    version: ''\n")
        .contains("  live_revision: 4\n")
        .contains("    max_count: 7\n")
        .contains("    expected_codes:\n    - 200\n    - 204\n")
        .contains("    flap_window: 1m30s\n")
        .contains("    timeout: 7m30s\n")
        .contains("    wait: legacy\n");
  }

  @Test
  void theReadDocumentsMonitorsArePlacedAtTheirLinesInThePlanfile() throws IOException {
    String written = Planfile.write(FULL);
    Monitor pods = read(written).monitors().get(3);
    List<String> lines = List.of(written.split("\n", -1));
    assertThat(pods.location().file()).isEqualTo(dir.resolve("planfile"));
    // The monitor's mapping starts at its line; its keys are sorted, so its name comes a few later.
    assertThat(lines.subList(pods.location().line() - 1, pods.location().line() + 8))
        .startsWith("- failure_threshold: 2")
        .contains("  name: pods");
  }

  /** Each field of a deploy section and of every probe has its key: none is left unwritten. */
  @Test
  void everyComponentOfTheDeployOptionsAndOfEachProbeIsWritten() {
    assertThat(Planfile.writeDeploy(DEPLOY))
        .hasSize(Release.Deployment.class.getRecordComponents().length);
    Map<Class<?>, java.util.Set<String>> keys = new java.util.HashMap<>();
    for (Monitor m : MONITORS) {
      keys.computeIfAbsent(m.probe().getClass(), c -> new java.util.TreeSet<>())
          .addAll(Planfile.writeProbe(m.probe()).keySet());
    }
    assertThat(keys).hasSize(Monitor.Probe.class.getPermittedSubclasses().length);
    keys.forEach(
        (type, written) ->
            assertThat(written)
                .as(type.getSimpleName())
                .hasSize(type.getRecordComponents().length));
  }

  @Test
  void aDamagedPlanfileNamesTheFileLineAndFieldOfEachBadValue() throws IOException {
    String written =
        Planfile.write(FULL)
            .replaceFirst("    timeout: 7m30s\n", "    timeout: soon\n")
            .replaceFirst("action: rollback", "action: explode");
    PlanException e = catchThrowableOfType(PlanException.class, () -> read(written));
    List<String> lines = List.of(written.split("\n", -1));
    int timeout = lines.indexOf("    timeout: soon") + 1;
    int action = lines.indexOf("  - action: explode") + 1;
    assertThat(e.problems())
        .extracting(Object::toString)
        .containsExactly(
            dir.resolve("planfile")
                + ":"
                + timeout
                + ":14: releases[0].deploy.timeout: \"soon\" is not a duration; write it as 30s,"
                + " 5m, 1h30m or 500ms",
            dir.resolve("planfile")
                + ":"
                + action
                + ":13: releases[0].monitors[0].action: must be one of rollback, uninstall, none,"
                + " not \"explode\"");
  }

  @Test
  void aPlanfileFromAnOlderBuildWithoutLaterOptionsReadsWithTheirDefaults() throws IOException {
    String written =
        Planfile.write(FULL)
            .replace("    rollout_restart: true\n", "")
            .replace("    max_history: 3\n", "");
    Release.Deployment deploy = read(written).releases().get(0).deploy();
    assertThat(deploy.rolloutRestart()).isFalse();
    assertThat(deploy.maxHistory()).isEqualTo(Release.Deployment.DEFAULT_MAX_HISTORY);
  }
}
