package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A monitor's {@code on_error}, and the literal credentials validate warns about. */
class MonitorPlanTest {
  @TempDir Path dir;
  PlanFiles files;

  @BeforeEach
  void charts() {
    files = new PlanFiles(dir);
    files.chart("ok");
  }

  @Test
  void onErrorDefaultsToErrorAndTakesFail() {
    Plan plan =
        files
            .load(
                """
                monitors:
                  - {name: a, type: http, http: {url: 'http://a'}}
                  - {name: b, type: http, on_error: fail, http: {url: 'http://b'}}
                releases: [{name: api, namespace: shop, chart: ./ok, monitors: [a, b]}]
                """)
            .plan();

    assertThat(plan.monitors())
        .extracting(Monitor::onError)
        .containsExactly(Monitor.OnError.ERROR, Monitor.OnError.FAIL);
  }

  @Test
  void aBadOnErrorIsAProblemNamingTheField() {
    assertThat(
            files.problems(
                """
                monitors:
                  - {name: a, type: http, on_error: rollback, http: {url: 'http://a'}}
                releases: [{name: api, namespace: shop, chart: ./ok, monitors: [a]}]
                """))
        .singleElement()
        .asString()
        .endsWith("monitors[0].on_error: must be one of error, fail, not \"rollback\"");
  }

  @Test
  void everyKindOfLiteralCredentialIsWarnedAboutAndReferencesAreNot() {
    files.load(
        """
        monitors:
          - name: prom
            type: prometheus
            prometheus: {url: 'https://prom.example/?token=abc123', expr: up, bearer_token: t0ken}
          - name: sentry
            type: sentry
            sentry: {api_key: sntrys_123, organization: acme, project: api}
          - name: es
            type: elasticsearch
            elasticsearch: {query: 'status:500', username: ops, password: '${env:ES_PASSWORD}'}
          - name: health
            type: http
            http:
              url: 'https://ops:${env:PASS}@api.example/health?api_key=${env:KEY}'
              headers: {X-Api-Key: k3y, Authorization: 'Bearer ${env:TOKEN}', Accept: text/plain}
        releases: [{name: api, namespace: shop, chart: ./ok, monitors: [prom, sentry, es, health]}]
        """);

    assertThat(files.warnings())
        .extracting(w -> w.substring(w.indexOf(": ") + 2, w.indexOf(" as literal text")))
        .containsExactlyInAnyOrder(
            "monitors[0].prometheus.url: holds a credential in the URL's query (token)",
            "monitors[0].prometheus.bearer_token: holds a bearer token",
            "monitors[1].sentry.api_key: holds an API token",
            "monitors[3].http.headers.X-Api-Key: holds the credentials of header X-Api-Key");
    assertThat(String.join("\n", files.warnings()))
        .doesNotContain("abc123", "t0ken", "sntrys", "k3y");
  }
}
