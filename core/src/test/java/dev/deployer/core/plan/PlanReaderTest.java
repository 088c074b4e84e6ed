package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanReaderTest {
  @TempDir Path dir;
  PlanFiles files;

  @BeforeEach
  void charts() {
    files = new PlanFiles(dir);
    files.chart("charts/api");
    files.chart("charts/db");
    files.write("values/api.yml", "replicas: 2\n");
    files.write("values/api-prod.yml", "replicas: 3\n");
  }

  @Test
  void readsEveryFieldOfTheDesignExample() {
    files.write("charts/api/Chart.yaml", "apiVersion: v2\nname: api\nversion: 1.2.0\n");
    Plan plan =
        files
            .load(
                """
                project: shop
                repositories: [{name: bitnami, url: https://charts.example/bitnami, username: u, password: p}]
                registries:   [{host: registry.example, username: ru, password: rp}]
                monitors:
                  - name: error-rate
                    type: prometheus
                    interval: 15s
                    iteration_timeout: 10s
                    total_timeout: 5m
                    success_threshold: 3
                    failure_threshold: 2
                    prometheus: {url: http://prometheus:9090, expr: 'rate(x[5m]) > 0', success_mode: if_empty}
                releases:
                  - name: db
                    namespace: shop
                    chart: bitnami/postgresql
                    tags: [infra]
                  - name: cache
                    namespace: shop
                    chart: ./charts/db
                  - name: api
                    namespace: shop
                    context: prod-eu
                    chart: {name: ./charts/api, version: 1.2.0}
                    values: [values/api.yml, {src: values/api-prod.yml, strict: true}]
                    tags: [backend]
                    depends_on: [db, {name: cache@shop, optional: true}, {tag: infra}]
                    monitors: [{name: error-rate, action: rollback}]
                    wait: true
                    timeout: 5m
                    atomic: false
                    create_namespace: true
                    max_history: 10
                    pending_release_strategy: rollback
                    allow_failure: false
                    offline_kube_version: 1.31.0
                    lifecycle: {pre_build: ["echo 'hello world'"], post_up: [{cmd: ./notify, args: [done], show: false, allow_failure: true}]}
                lifecycle: {pre_build: [make charts]}
                """)
            .plan();

    assertThat(plan.project()).isEqualTo("shop");
    assertThat(plan.repositories())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.name()).isEqualTo("bitnami");
              assertThat(r.username()).contains("u");
            });
    assertThat(plan.registries().get(0).host()).isEqualTo("registry.example");

    Monitor monitor = plan.monitors().get(0);
    assertThat(monitor.type()).isEqualTo(Monitor.Type.PROMETHEUS);
    assertThat(monitor.interval()).isEqualTo(Duration.ofSeconds(15));
    assertThat(monitor.failureThreshold()).isEqualTo(2);
    assertThat(monitor.probe())
        .isEqualTo(
            // No credentials, if_empty: what MonitorDefaultsTest shows of() to be.
            Monitor.PrometheusProbe.of("http://prometheus:9090", "rate(x[5m]) > 0"));

    Release api = plan.releases().get(2);
    assertThat(api.uniqueName()).isEqualTo("api@shop@prod-eu");
    assertThat(api.chart().name()).isEqualTo("./charts/api");
    assertThat(api.chart().version()).contains("1.2.0");
    assertThat(api.chart().kind()).isEqualTo(Chart.Kind.LOCAL_DIRECTORY);
    assertThat(plan.releases().get(0).chart().kind()).isEqualTo(Chart.Kind.REPOSITORY);
    assertThat(api.values())
        .extracting(ValuesFile::src, ValuesFile::strict)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("values/api.yml", false),
            org.assertj.core.groups.Tuple.tuple("values/api-prod.yml", true));
    assertThat(api.dependsOn())
        .extracting(Dependency::toString)
        .containsExactly("db", "cache@shop", "tag infra");
    assertThat(api.dependsOn().get(1).optional()).isTrue();
    assertThat(api.monitors())
        .singleElement()
        .extracting(MonitorRef::action)
        .isEqualTo(MonitorRef.Action.ROLLBACK);
    Release.Deployment d = api.deployment();
    assertThat(d.waitStrategy()).isEqualTo(WaitStrategy.WATCHER);
    assertThat(d.createNamespace()).isTrue();
    assertThat(d.timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.pendingReleaseStrategy()).isEqualTo(Release.PendingReleaseStrategy.ROLLBACK);
    assertThat(api.offlineKubeVersion()).contains("1.31.0");
    List<Lifecycle.Hook> preBuild = api.lifecycle().hooks(Lifecycle.Phase.PRE_BUILD);
    assertThat(preBuild)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.cmd()).isEqualTo("echo");
              assertThat(h.args()).containsExactly("hello world");
            });
    assertThat(api.lifecycle().hooks(Lifecycle.Phase.POST_UP).get(0).allowFailure()).isTrue();
    assertThat(plan.lifecycle().hooks(Lifecycle.Phase.PRE_BUILD).get(0).args())
        .containsExactly("charts");
  }

  @Test
  void aDeployOptionChangesOnlyItsOwnField() {
    Plan plan =
        files
            .load(
                """
                releases:
                  - {name: api, chart: ./charts/api, timeout: 90s, atomic: true, wait: watcher}
                """)
            .plan();
    assertThat(plan.releases().get(0).deployment())
        .isEqualTo(
            Release.Deployment.DEFAULTS
                .withTimeout(Duration.ofSeconds(90))
                .withAtomic(true)
                .withWaitStrategy(WaitStrategy.WATCHER));
  }

  @Test
  void defaultsAreHelmwaves() {
    Plan plan =
        files
            .load(
                """
                releases: [{name: api, chart: ./charts/api}]
                monitors: [{name: up, type: http, http: {url: http://localhost/health}}]
                """)
            .plan();
    Release api = plan.releases().get(0);
    assertThat(api.uniqueName()).isEqualTo("api@default");
    assertThat(api.deployment().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(api.deployment().maxHistory()).isEqualTo(10);
    assertThat(api.deployment().waitStrategy()).isEqualTo(WaitStrategy.HOOK_ONLY);
    assertThat(api.deployment().pendingReleaseStrategy())
        .isEqualTo(Release.PendingReleaseStrategy.FAIL);
    assertThat(api.deployment()).isEqualTo(Release.Deployment.DEFAULTS);
    assertThat(api)
        .isEqualTo(
            Release.of(
                "api",
                "default",
                Optional.empty(),
                Chart.local("./charts/api", api.chart().location()),
                api.location()));
    Monitor m = plan.monitors().get(0);
    assertThat(m.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(m.iterationTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(m.totalTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(m.successThreshold()).isEqualTo(3);
    assertThat(m.failureThreshold()).isEqualTo(3);
    assertThat(((Monitor.HttpProbe) m.probe()).expectedCodes()).containsExactly(200);
  }

  @Test
  void namesHelmOrKubernetesWouldRejectAndNumbersOutOfRangeAreProblems() {
    files.chart("charts/c");
    assertThat(
            files.problems(
                """
                releases:
                  - name: a-release-name-that-is-much-longer-than-fifty-three-characters
                    namespace: Shop_EU
                    chart: ./charts/c
                    max_history: 4294967297
                    timeout: 3000000h
                """))
        .containsExactly(
            dir.resolve("deployer.yml")
                + ":2:11: releases[0].name: \"a-release-name-that-is-much-longer-than-fifty-three-characters\" is 62 characters long; Helm takes at most 53",
            dir.resolve("deployer.yml")
                + ":3:16: releases[0].namespace: \"Shop_EU\" is not a Kubernetes namespace name (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)",
            dir.resolve("deployer.yml")
                + ":5:18: releases[0].max_history: must be 0 (no limit) or more, up to 2147483647",
            dir.resolve("deployer.yml")
                + ":6:14: releases[0].timeout: \"3000000h\" is longer than the longest duration Helm takes (2562047h)");
  }

  /** As in helmwave: a query that selects what is healthy passes when it returns series. */
  @Test
  void aPrometheusMonitorPassesOnANonEmptyResultUnlessToldOtherwise() {
    files.chart("charts/c");
    Plan plan =
        files
            .load(
                """
                monitors:
                  - {name: up, type: prometheus, prometheus: {url: 'http://p:9090', expr: 'up == 1'}}
                  - {name: errors, type: prometheus, prometheus: {url: 'http://p:9090', expr: 'errors > 0', success_mode: if_empty}}
                releases:
                  - {name: a, chart: ./charts/c, monitors: [up, errors]}
                """)
            .plan();
    assertThat(plan.monitors())
        .extracting(m -> ((Monitor.PrometheusProbe) m.probe()).successMode())
        .containsExactly(Monitor.SuccessMode.IF_VECTOR, Monitor.SuccessMode.IF_EMPTY);
  }

  @Test
  void waitTakesHelm4sStrategiesOrABoolean() {
    files.chart("charts/c");
    Plan plan =
        files
            .load(
                """
                releases:
                  - {name: a, chart: ./charts/c, wait: watcher}
                  - {name: b, chart: ./charts/c, wait: legacy}
                  - {name: c, chart: ./charts/c, wait: hookOnly}
                  - {name: d, chart: ./charts/c, wait: true}
                  - {name: e, chart: ./charts/c, wait: false}
                  - {name: f, chart: ./charts/c}
                """)
            .plan();
    assertThat(plan.releases())
        .extracting(r -> r.name() + " " + r.deployment().waitStrategy().helmName())
        .containsExactly(
            "a watcher", "b legacy", "c hookOnly", "d watcher", "e hookOnly", "f hookOnly");
  }

  @Test
  void loadsAHelmwavePlanUnchanged() {
    Path plan = files.write("helmwave.yml", resource("/helmwave/helmwave.yml"));
    files.chart("charts/frontend");
    var loaded = files.load(plan);
    assertThat(loaded.graph().releases())
        .extracting(Release::uniqueName)
        .containsExactly("redis@infra", "backend@app", "frontend@app");
    Release backend = loaded.plan().releases().get(1);
    assertThat(backend.deployment().createNamespace()).isTrue();
    assertThat(backend.deployment().waitStrategy()).isEqualTo(WaitStrategy.WATCHER);
    assertThat(backend.store()).containsEntry("replicas", "2");
    assertThat(backend.monitors()).extracting(MonitorRef::name).containsExactly("redis-up");
    assertThat(files.warnings())
        .singleElement()
        .asString()
        .endsWith("values file \"values/missing.yml\" does not exist; skipped");
  }

  @Test
  void unknownKeysSuggestTheClosestKnownOne() {
    assertThat(
            files.problems(
                """
                releases:
                  - name: api
                    chart: ./charts/api
                    depend_on: [db]
                    namspace: shop
                    tagz: [a]
                monitors:
                  - {name: m, type: http, http: {url: http://x, expect_codes: [200]}, intervall: 1s}
                x-free: {anything: goes}
                .anchors: {too: true}
                projekt: p
                """))
        .containsExactly(
            dir.resolve("deployer.yml")
                + ":4:5: releases[0].depend_on: unknown key; did you mean \"depends_on\"?",
            dir.resolve("deployer.yml")
                + ":5:5: releases[0].namspace: unknown key; did you mean \"namespace\"?",
            dir.resolve("deployer.yml")
                + ":6:5: releases[0].tagz: unknown key; did you mean \"tags\"?",
            dir.resolve("deployer.yml")
                + ":8:49: monitors[0].http.expect_codes: unknown key; did you mean \"expected_codes\"?",
            dir.resolve("deployer.yml")
                + ":8:71: monitors[0].intervall: unknown key; did you mean \"interval\"?",
            dir.resolve("deployer.yml") + ":11:1: projekt: unknown key; did you mean \"project\"?");
  }

  @Test
  void badValuesAreReportedTogetherWithTheirField() {
    assertThat(
            files.problems(
                """
                monitors:
                  - name: m
                    type: prometheus
                    interval: 5 minutes
                    iteration_timeout: 10m
                    total_timeout: 5m
                    success_threshold: 0
                    failure_threshold: -1
                    prometheus: {expr: up, success_mode: sometimes}
                releases:
                  - name: API
                    chart: ./charts/api
                    wait: maybe
                    max_history: ten
                    pending_release_strategy: retry
                    timeout: 1d
                """))
        .containsExactly(
            dir.resolve("deployer.yml")
                + ":4:15: monitors[0].interval: \"5 minutes\" is not a duration; write it as 30s, 5m, 1h30m or 500ms",
            dir.resolve("deployer.yml")
                + ":5:24: monitors[0].iteration_timeout: (10m) is longer than total_timeout (5m)",
            dir.resolve("deployer.yml")
                + ":7:24: monitors[0].success_threshold: must be 1 or more, not 0",
            dir.resolve("deployer.yml")
                + ":8:24: monitors[0].failure_threshold: must be 1 or more, not -1",
            dir.resolve("deployer.yml")
                + ":9:42: monitors[0].prometheus.success_mode: must be one of if_empty, if_vector, not \"sometimes\"",
            dir.resolve("deployer.yml")
                + ":11:11: releases[0].name: \"API\" is not a valid Helm release name (lower-case letters, digits, '-' and '.')",
            dir.resolve("deployer.yml")
                + ":13:11: releases[0].wait: must be watcher, legacy, hookOnly or a boolean (true is watcher), not \"maybe\"",
            dir.resolve("deployer.yml")
                + ":14:18: releases[0].max_history: must be a whole number, not \"ten\"",
            dir.resolve("deployer.yml")
                + ":15:31: releases[0].pending_release_strategy: must be one of fail, rollback, uninstall, wait, not \"retry\"",
            dir.resolve("deployer.yml")
                + ":16:14: releases[0].timeout: \"1d\" is not a duration; write it as 30s, 5m, 1h30m or 500ms");
  }

  @Test
  void missingRequiredFieldsAndBadShapes() {
    assertThat(
            files.problems(
                """
                releases:
                  - namespace: x
                  - name: b
                    chart: ./charts/db
                    depends_on: [{name: a, tag: t}]
                    tags: {a: b}
                monitors:
                  - name: s
                    type: sentry
                    sentry: {}
                  - name: k
                    type: kubernetes
                  - name: n
                    type: nagios
                """))
        .containsExactly(
            dir.resolve("deployer.yml") + ":2:5: releases[0].name: is required",
            dir.resolve("deployer.yml") + ":2:5: releases[0].chart: is required",
            dir.resolve("deployer.yml")
                + ":5:18: releases[1].depends_on[0]: set exactly one of \"name\" and \"tag\"",
            dir.resolve("deployer.yml") + ":6:11: releases[1].tags: must be a list",
            dir.resolve("deployer.yml") + ":10:13: monitors[0].sentry.organization: is required",
            dir.resolve("deployer.yml") + ":10:13: monitors[0].sentry.project: is required",
            dir.resolve("deployer.yml")
                + ":14:11: monitors[2].type: must be one of prometheus, http, elasticsearch, sentry, kubernetes, not \"nagios\"");
  }

  @Test
  void invalidYamlNamesTheLine() {
    assertThat(files.problems("releases:\n  - name: a\n   chart: [\n"))
        .singleElement()
        .asString()
        .startsWith(dir.resolve("deployer.yml") + ":3:")
        .contains("not valid YAML");
  }

  @Test
  void duplicateKeysAreErrors() {
    assertThat(files.problems("releases:\n  - name: a\n    chart: ./charts/api\n    name: b\n"))
        .containsExactly(
            dir.resolve("deployer.yml") + ":4:5: releases[0].name: is set twice (first at line 2)");
  }

  @Test
  void aMissingPlanFileIsReported() {
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    PlanException.class, () -> files.load(dir.resolve("nope.yml")))
                .problems())
        .singleElement()
        .asString()
        .isEqualTo(dir.resolve("nope.yml") + ": the plan file does not exist");
  }

  private String at(String rest) {
    return dir.resolve("deployer.yml") + ":" + rest;
  }

  @Test
  void emptyChartsWrongTypedStoresBadRegexesAndConflictingCredentialsAreProblems() {
    assertThat(
            files.problems(
                """
                repositories:
                  - {name: r, url: 'https://charts.example', ca_file: a.pem, caFile: b.pem}
                monitors:
                  - {name: s, type: sentry, sentry: {organization: o, project: p, message_regexp: 'timeout(['}}
                  - {name: p, type: prometheus, prometheus: {expr: up, username: u, password: pw, bearer_token: t}}
                releases:
                  - {name: a, chart: '  '}
                  - {name: b, chart: ./charts/api, store: [1, 2]}
                  - {name: c, chart: ./charts/api, store: just-text}
                """))
        .containsExactly(
            at(
                "2:70: repositories[0].caFile: is ca_file spelled as Helm does, and both are set:"
                    + " keep one of them"),
            at(
                "4:83: monitors[0].sentry.message_regexp: is not a valid regular expression:"
                    + " Unclosed character class at character 9"),
            at(
                "5:97: monitors[1].prometheus.bearer_token: conflicts with username: set either"
                    + " username and password or bearer_token, not both"),
            at(
                "7:22: releases[0].chart: must name a chart (a directory, an archive, repo/chart or"
                    + " oci://...)"),
            at("8:43: releases[1].store: must be a mapping of keys to values"),
            at("9:43: releases[2].store: must be a mapping of keys to values"));
  }

  @Test
  void recursiveAliasesAliasBombsAndDeepNestingAreProblemsWithALocation() {
    assertThat(
            files.problems(
                """
                releases: &all
                  - name: a
                    chart: ./charts/api
                    store: {loop: *all}
                """))
        .containsExactly(
            at(
                "4:12: releases[0].store: holds an alias to a list or mapping that contains the alias"));

    StringBuilder bomb = new StringBuilder(".l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      bomb.append(".l").append(i).append(": &l").append(i).append(" [");
      bomb.append(String.join(", ", java.util.Collections.nCopies(10, "*l" + (i - 1))));
      bomb.append("]\n");
    }
    bomb.append("releases:\n  - {name: a, chart: ./charts/api, store: {boom: *l9}}\n");
    assertThat(files.problems(bomb.toString()))
        .singleElement()
        .asString()
        .startsWith(at("12:43: "))
        .endsWith(
            "releases[0].store: expands to more than 100000 values through its aliases; write the"
                + " data out or use fewer aliases");

    String deep = "[".repeat(5000) + "]".repeat(5000);
    assertThat(
            files.problems(
                "releases:\n  - {name: a, chart: ./charts/api, store: {x: " + deep + "}}\n"))
        .containsExactly(
            at("2:143: not valid YAML: lists and mappings are nested more than 100 levels deep"));

    StringBuilder chain = new StringBuilder(".a0: &a0 {x: 1}\n");
    for (int i = 1; i <= 300; i++) {
      chain
          .append(".a")
          .append(i)
          .append(": &a")
          .append(i)
          .append(" {x: *a")
          .append(i - 1)
          .append("}\n");
    }
    chain.append("releases:\n  - {name: a, chart: ./charts/api, store: *a300}\n");
    assertThat(files.problems(chain.toString()))
        .singleElement()
        .asString()
        .endsWith("releases[0].store: nests more than 100 levels deep through its aliases");
  }

  @Test
  void manyMergesOfSharedDefaultsAreAcceptedAlsoThroughSharedMerges() {
    StringBuilder plan =
        new StringBuilder(".defaults: &defaults\n  namespace: shop\n  wait: true\n");
    // Two merges that both bring in the same defaults: a diamond, not a loop.
    plan.append(".left: &left {<<: *defaults, atomic: true}\n");
    plan.append(".right: &right {<<: *defaults, timeout: 1m}\n");
    plan.append("releases:\n");
    for (int i = 0; i < 200; i++) {
      plan.append("  - name: r").append(i).append("\n    <<: *defaults\n    chart: ./charts/api\n");
    }
    plan.append("  - {name: s, chart: ./charts/api, <<: [*left, *right]}\n");
    Plan loaded = files.load(plan.toString()).plan();
    assertThat(loaded.releases()).hasSize(201);
    assertThat(loaded.releases().get(150).namespace()).isEqualTo("shop");
    Release s = loaded.releases().get(200);
    assertThat(s.namespace()).isEqualTo("shop");
    assertThat(s.deployment().atomic()).isTrue();
    assertThat(s.deployment().timeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void unreadableFilesAreDescribedWithoutJavaClassNames() throws Exception {
    java.nio.file.Files.write(
        dir.resolve("latin1.yml"),
        new byte[] {'p', 'r', 'o', 'j', 'e', 'c', 't', ':', ' ', (byte) 0xE9, '\n'});
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    PlanException.class, () -> files.load(dir.resolve("latin1.yml")))
                .problems())
        .singleElement()
        .asString()
        .isEqualTo(dir.resolve("latin1.yml") + ":1:10: the file is not UTF-8 text");
    assertThat(
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    PlanException.class, () -> files.load(dir.resolve("charts")))
                .problems())
        .singleElement()
        .asString()
        .isEqualTo(dir.resolve("charts") + ": is a directory, not a plan file");
    assertThat(files.problems("releases:\n  - name: a\u0001b\n"))
        .containsExactly(
            at(
                "2:12: the file holds a character YAML does not allow (U+0001); write it escaped"
                    + " in a double-quoted string"));
  }

  @Test
  void numbersBeyondWhatTheirFieldHoldsAreProblemsNotWrappedValues() {
    assertThat(
            files.problems(
                """
                monitors:
                  - name: k
                    type: kubernetes
                    kubernetes: {max_restarts: 2147483648}
                  - name: k2
                    type: kubernetes
                    kubernetes: {max_restarts: 4294967297}
                  - name: e
                    type: elasticsearch
                    elasticsearch: {query: 'level:error', max_count: 99999999999999999999}
                releases:
                  - {name: api, chart: ./charts/api, monitors: [k, k2, e]}
                """))
        .containsExactly(
            at("4:32: monitors[0].kubernetes.max_restarts: must be 0 or more, up to 2147483647"),
            at("7:32: monitors[1].kubernetes.max_restarts: must be 0 or more, up to 2147483647"),
            at(
                "10:54: monitors[2].elasticsearch.max_count: must be 0 or more, up to"
                    + " 9223372036854775807"));
  }

  @Test
  void ociReferencesAndChartVersionsAreCheckedWhenThePlanIsRead() {
    assertThat(
            files.problems(
                """
                repositories: [{name: r, url: 'https://charts.example'}]
                releases:
                  - {name: a, chart: 'oci://'}
                  - {name: b, chart: 'oci://registry.example'}
                  - {name: c, chart: 'oci://reg istry/charts/c'}
                  - {name: d, chart: 'oci://registry.example/charts/d:bad tag'}
                  - {name: e, chart: {name: 'oci://registry.example/charts/e', version: 'not a version!'}}
                  - {name: f, chart: {name: 'oci://registry.example/charts/f:1.0.0', version: 1.2.3}}
                  - {name: g, chart: {name: r/g, version: '>= one'}}
                  - {name: h, chart: {name: 'oci://registry.example/charts/h:1.0.0', version: 1.0.0}}
                  - {name: i, chart: {name: r/i, version: '^1.2'}}
                """))
        .containsExactly(
            at(
                "3:22: releases[0].chart: \"oci://\" is not an OCI chart reference; write it as"
                    + " oci://HOST[:PORT]/PATH/CHART, with :VERSION at the end if you like"),
            at(
                "4:22: releases[1].chart: \"oci://registry.example\" is not an OCI chart"
                    + " reference; write it as oci://HOST[:PORT]/PATH/CHART, with :VERSION at the"
                    + " end if you like"),
            at(
                "5:22: releases[2].chart: \"oci://reg istry/charts/c\" is not an OCI chart"
                    + " reference; write it as oci://HOST[:PORT]/PATH/CHART, with :VERSION at the"
                    + " end if you like"),
            at(
                "6:22: releases[3].chart: \"oci://registry.example/charts/d:bad tag\" is not an"
                    + " OCI chart reference; write it as oci://HOST[:PORT]/PATH/CHART, with"
                    + " :VERSION at the end if you like"),
            at(
                "7:73: releases[4].chart.version: \"not a version!\" is neither a version nor a"
                    + " range of versions (1.2.3, ^1.2.0, ~1.2, >=1.0.0 <2.0.0)"),
            at(
                "8:79: releases[5].chart.version: 1.2.3 differs from the version in the reference"
                    + " (1.0.0); set only one of them"),
            at(
                "9:43: releases[6].chart.version: \">= one\" is neither a version nor a range of"
                    + " versions (1.2.3, ^1.2.0, ~1.2, >=1.0.0 <2.0.0)"));
  }

  @Test
  void repositoryAndValuesUrlsThatBuildCouldNotFetchAreProblems() {
    assertThat(
            files.problems(
                """
                repositories:
                  - {name: r, url: 'https://charts example'}
                  - {name: s, url: charts.example}
                releases:
                  - {name: a, chart: ./charts/api, values: ['https://values example/a.yml']}
                  - {name: b, chart: ./charts/api, values: [{src: 'http:///a.yml'}]}
                """))
        .containsExactly(
            at("2:20: repositories[0].url: \"https://charts example\" is not an http(s) URL"),
            at("3:20: repositories[1].url: \"charts.example\" is not an http(s) URL"),
            at(
                "5:45: releases[0].values[0]: \"https://values example/a.yml\" is not an http(s)"
                    + " URL"),
            at("6:45: releases[1].values[0]: \"http:///a.yml\" is not an http(s) URL"));
  }

  @Test
  void aVersionOnALocalChartMustBeTheOneItsChartYamlDeclares() {
    assertThat(
            files.problems(
                """
                releases:
                  - {name: a, chart: {name: ./charts/api, version: 9.9.9}}
                  - {name: b, chart: {name: ./charts/api, version: 0.1.0}}
                  - {name: c, chart: {name: ./charts/db, version: '^0.1'}}
                  - {name: d, chart: {name: ./charts/db, version: '>=1'}}
                """))
        .containsExactly(
            at(
                "2:52: releases[0].chart.version: the local chart ./charts/api is version 0.1.0"
                    + " (its Chart.yaml says so), not 9.9.9; a local chart is used as it is: set"
                    + " the version its Chart.yaml has, or none"),
            at(
                "5:51: releases[3].chart.version: the local chart ./charts/db is version 0.1.0"
                    + " (its Chart.yaml says so), not >=1; a local chart is used as it is: set the"
                    + " version its Chart.yaml has, or none"));
  }

  @Test
  void offlineKubeVersionMustBeAKubernetesVersion() {
    assertThat(
            files.problems(
                """
                releases:
                  - {name: a, chart: ./charts/api, offline_kube_version: banana}
                  - {name: b, chart: ./charts/api, offline_kube_version: '1'}
                  - {name: c, chart: ./charts/api, offline_kube_version: 1.31.0 }
                  - {name: d, chart: ./charts/api, offline_kube_version: v1.33.4-gke.1245000}
                  - {name: e, chart: ./charts/api, offline_kube_version: '1.31'}
                  - {name: f, chart: ./charts/api, offline_kube_version: 1.31.0.1}
                  - {name: g, chart: ./charts/api, offline_kube_version: 01.31.0}
                """))
        .containsExactly(
            at(
                "2:58: releases[0].offline_kube_version: \"banana\" is not a Kubernetes version;"
                    + " write it as 1.31.0 (or v1.31.0, 1.31)"),
            at(
                "3:58: releases[1].offline_kube_version: \"1\" is not a Kubernetes version; write"
                    + " it as 1.31.0 (or v1.31.0, 1.31)"),
            at(
                "8:58: releases[6].offline_kube_version: \"01.31.0\" is not a Kubernetes version;"
                    + " write it as 1.31.0 (or v1.31.0, 1.31)"));
  }

  @Test
  void monitorUrlsAndHttpMethodsAreCheckedWhenThePlanIsRead() {
    assertThat(
            files.problems(
                """
                monitors:
                  - {name: a, type: http, http: {url: 'not a url'}}
                  - {name: b, type: http, http: {url: 'ftp://x/health'}}
                  - {name: c, type: http, http: {url: 'http://x/health', method: 'GE T'}}
                  - {name: d, type: http, http: {url: 'http://x/health', method: GTE}}
                  - {name: e, type: prometheus, prometheus: {url: 'http//prometheus:9090', expr: up}}
                  - {name: f, type: elasticsearch, elasticsearch: {url: 'http://[::1', query: x}}
                  - {name: g, type: sentry, sentry: {url: sentry.io, organization: o, project: p}}
                  - {name: h, type: http, http: {url: 'http://x:99999/health'}}
                  - {name: i, type: http, http: {url: 'http://x/health', method: get, body: '{}'}}
                  - {name: j, type: http, http: {url: '${env:HEALTH_URL}', method: post}}
                  - {name: k, type: http, http: {url: 'https://${env:HOST}:8443/health'}}
                  - {name: l, type: http, http: {url: 'https://u:${env:PASS}@x/health'}}
                releases:
                  - {name: api, chart: ./charts/api, monitors: [a, b, c, d, e, f, g, h, i, j, k, l]}
                """))
        .containsExactly(
            at("2:39: monitors[0].http.url: \"not a url\" is not an http(s) URL"),
            at("3:39: monitors[1].http.url: \"ftp://x/health\" is not an http(s) URL"),
            at(
                "4:66: monitors[2].http.method: \"GE T\" is not an HTTP method; use GET, HEAD,"
                    + " POST, PUT, PATCH, DELETE or OPTIONS"),
            at(
                "5:66: monitors[3].http.method: \"GTE\" is not an HTTP method; did you mean"
                    + " \"GET\"?"),
            at(
                "6:51: monitors[4].prometheus.url: \"http//prometheus:9090\" is not an http(s)"
                    + " URL"),
            at("7:57: monitors[5].elasticsearch.url: \"http://[::1\" is not an http(s)" + " URL"),
            at("8:43: monitors[6].sentry.url: \"sentry.io\" is not an http(s) URL"),
            at("9:39: monitors[7].http.url: \"http://x:99999/health\" is not an http(s)" + " URL"),
            at("10:77: monitors[8].http.body: a GET request cannot have a body"));
  }

  @Test
  void aMappingThatMergesItselfIsAProblemAtItsMergeKey() {
    assertThat(
            files.problems(
                """
                .base: &base
                  namespace: shop
                  <<: *base
                releases:
                  - &api
                    name: api
                    chart: ./charts/api
                    <<: *api
                  - name: db
                    chart: ./charts/db
                    <<: *base
                """))
        .containsExactly(
            at(
                "3:3: releases[1].<<: merges the mapping that holds it (a recursive alias);"
                    + " merge only other mappings"),
            at(
                "8:5: releases[0].<<: merges the mapping that holds it (a recursive alias);"
                    + " merge only other mappings"));
  }

  @Test
  void aPlanPathThatIsAPipeOrADeviceIsRefusedWithoutReadingIt() throws Exception {
    Path fifo = dir.resolve("plan.fifo");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    for (Path special : List.of(fifo, Path.of("/dev/zero"))) {
      var result =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () ->
                  org.assertj.core.api.Assertions.catchThrowableOfType(
                          PlanException.class, () -> files.load(special))
                      .problems());
      assertThat(result.get(10, java.util.concurrent.TimeUnit.SECONDS))
          .singleElement()
          .asString()
          .isEqualTo(
              special
                  + ": is "
                  + (special.equals(fifo) ? "a pipe" : "a device")
                  + ", not a plan file; write the plan to a file and name that");
    }
  }

  /** Loose: only a hang or a return of the quadratic scan (27 s once) reaches it. */
  @Test
  void aTenMegabyteScalarIsReadInSeconds() {
    String big = "x".repeat(10 * 1024 * 1024);
    for (String written : List.of(big, '"' + big + '"')) {
      long start = System.nanoTime();
      Plan plan =
          files
              .load(
                  "releases:\n  - name: api\n    chart: ./charts/api\n    description: "
                      + written
                      + "\n")
              .plan();
      assertThat(plan.releases().get(0).description()).contains(big);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }
  }

  static String resource(String name) {
    try (var in = PlanReaderTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
