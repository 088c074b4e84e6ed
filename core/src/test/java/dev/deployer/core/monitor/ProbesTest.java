package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Monitor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbesTest {
  private static Monitor monitor(String name, Monitor.Probe settings) {
    return Monitor.of(name, settings, Location.of(Path.of("deployer.yml")));
  }

  private static final Monitor.PrometheusProbe PROMETHEUS =
      new Monitor.PrometheusProbe(
          "http://localhost:9090",
          "up == 0",
          Monitor.SuccessMode.IF_EMPTY,
          Optional.empty(),
          Optional.empty(),
          Optional.of("${env:PROM_TOKEN}"),
          Optional.empty(),
          false);

  @Test
  void makesTheProbeOfEachOfItsTypes() {
    Map<String, String> env = Map.of("PROM_TOKEN", "t", "SENTRY_TOKEN", "s");

    assertThat(create(monitor("errors", PROMETHEUS), env)).isInstanceOf(PrometheusQueryProbe.class);
    assertThat(
            create(
                monitor(
                    "health",
                    new Monitor.HttpProbe(
                        "https://api.example.com/health",
                        "GET",
                        Map.of(),
                        Optional.empty(),
                        List.of(200),
                        Optional.empty(),
                        false)),
                env))
        .isInstanceOf(HttpRequestProbe.class);
    assertThat(
            create(
                monitor(
                    "crashes",
                    new Monitor.SentryProbe(
                        "https://sentry.io",
                        Optional.of("${env:SENTRY_TOKEN}"),
                        "acme",
                        "api",
                        Map.of(),
                        Optional.empty(),
                        0)),
                env))
        .isInstanceOf(SentryEventsProbe.class);
  }

  @Test
  void aSettingsProblemNamesTheMonitorThePropertyAndTheVariable() {
    assertThatThrownBy(() -> create(monitor("errors", PROMETHEUS), Map.of()))
        .isInstanceOf(ProbeException.class)
        .hasMessage(
            "monitor \"errors\": prometheus.bearer_token: the environment variable PROM_TOKEN is"
                + " not set");
  }

  private static Probe create(Monitor monitor, Map<String, String> environment) {
    return Probes.create(
        monitor,
        java.util.List.of(),
        environment,
        java.nio.file.Path.of(""),
        r -> {
          throw new AssertionError("no cluster here");
        });
  }
}
