package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The defaults and withers of the monitor model equal what the positional constructors build. */
class MonitorDefaultsTest {
  private final Location here = Location.of(Path.of("plan.yaml"));

  @Test
  void aMonitorOfSettingsHasThePlanDefaultsAndItsTypeFromTheSettings() {
    Monitor.PrometheusProbe probe = Monitor.PrometheusProbe.of("http://p:9090", "up == 0");

    Monitor monitor =
        Monitor.of("errors", probe, here)
            .withInterval(Duration.ofSeconds(5))
            .withTimeouts(Duration.ofSeconds(2), Duration.ofMinutes(1))
            .withThresholds(Integer.MAX_VALUE, 1)
            .withOnError(Monitor.OnError.FAIL);

    assertThat(monitor)
        .isEqualTo(
            new Monitor(
                "errors",
                Monitor.Type.PROMETHEUS,
                Duration.ofSeconds(5),
                Duration.ofSeconds(2),
                Duration.ofMinutes(1),
                Integer.MAX_VALUE,
                1,
                Monitor.OnError.FAIL,
                probe,
                here,
                List.of()));
    assertThat(Monitor.of("x", probe, here).interval()).isEqualTo(Monitor.DEFAULT_INTERVAL);
    assertThat(Monitor.typeOf(new Monitor.KubernetesProbe(0, true, Duration.ZERO)))
        .isEqualTo(Monitor.Type.KUBERNETES);
  }

  @Test
  void probeSettingsStartFromNoCredentialsAndTakeOneQuery() {
    assertThat(Monitor.PrometheusProbe.of("u", "q"))
        .isEqualTo(
            new Monitor.PrometheusProbe(
                "u",
                "q",
                Monitor.SuccessMode.IF_EMPTY,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                false));

    Monitor.ElasticsearchProbe es =
        Monitor.ElasticsearchProbe.of("u", 2).withIndex(Optional.of("logs-*")).withQuery("a:b");
    assertThat(es.query()).contains("a:b");
    assertThat(es.queryFile()).isEmpty();
    assertThat(es.withQueryFile("q.json").query()).isEmpty();
    assertThat(es.withQueryFile("q.json").queryFile()).contains("q.json");
    assertThat(es.index()).contains("logs-*");
    assertThat(es.maxCount()).isEqualTo(2);

    assertThat(
            Monitor.SentryProbe.of("u", "org", "proj", 0)
                .withApiKey("${env:K}")
                .withTags(Map.of("env", "prod"))
                .withMessageRegexp(Optional.of("boom")))
        .isEqualTo(
            new Monitor.SentryProbe(
                "u",
                Optional.of("${env:K}"),
                "org",
                "proj",
                Map.of("env", "prod"),
                Optional.of("boom"),
                0));
  }
}
