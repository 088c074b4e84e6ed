package dev.deployer.core.monitor;

import dev.deployer.core.plan.Monitor;
import java.time.Instant;
import java.util.Map;

/** Makes the probes of the {@code prometheus}, {@code http} and {@code sentry} monitor types. */
public final class ProbesPartA {
  private ProbesPartA() {}

  /**
   * The probe of a monitor, its calls bounded by the monitor's {@code iteration_timeout}. Call it
   * when the monitor starts: a Sentry probe counts events from that moment.
   *
   * @param environment where {@code ${env:NAME}} in the settings are looked up
   * @throws ProbeException naming the monitor and property when the settings cannot work
   * @throws IllegalArgumentException for a monitor type not made here
   */
  public static Probe create(Monitor monitor, Map<String, String> environment) {
    try {
      Monitor.Probe settings = monitor.probe();
      if (settings instanceof Monitor.PrometheusProbe p) {
        return new PrometheusQueryProbe(p, environment, monitor.iterationTimeout());
      }
      if (settings instanceof Monitor.HttpProbe h) {
        return new HttpRequestProbe(h, environment, monitor.iterationTimeout());
      }
      if (settings instanceof Monitor.SentryProbe s) {
        return new SentryEventsProbe(s, environment, monitor.iterationTimeout(), Instant.now());
      }
    } catch (ProbeException e) {
      throw new ProbeException("monitor \"" + monitor.name() + "\": " + e.getMessage(), e);
    }
    throw new IllegalArgumentException(
        "monitor \""
            + monitor.name()
            + "\": type "
            + monitor.type().yamlName()
            + " is not made here");
  }
}
