package dev.deployer.core.fake;

import dev.deployer.core.deploy.ProbeFactory;
import dev.deployer.core.monitor.Probe;
import dev.deployer.core.monitor.ProbeResult;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes that answer at once, whatever a monitor's type: each monitor's probe gives the result set
 * for it here, a success unless told otherwise. With {@code success_threshold: 1} or {@code
 * failure_threshold: 1} in the plan, a monitor ends on its first probe, which runs as soon as its
 * releases settle: no interval is waited.
 */
public final class FakeProbes implements ProbeFactory {
  private final Map<String, Probe> probes = new HashMap<>();
  private final List<String> started = new ArrayList<>();

  /** The monitor's probes fail with {@code detail}. */
  public synchronized FakeProbes fail(String monitor, String detail) {
    ProbeResult result = ProbeResult.failure(detail);
    probes.put(monitor, () -> result);
    return this;
  }

  /** The monitor's probes cannot reach their backend: an error, {@code detail} saying why. */
  public synchronized FakeProbes error(String monitor, String detail) {
    ProbeResult result = ProbeResult.error(detail);
    probes.put(monitor, () -> result);
    return this;
  }

  /**
   * The monitor's probes are {@code probe}: to act on the fakes while a monitor runs, as another
   * client would.
   */
  public synchronized FakeProbes answer(String monitor, Probe probe) {
    probes.put(monitor, probe);
    return this;
  }

  /** The monitors whose probe was made, in order, each with the releases it watches. */
  public synchronized List<String> started() {
    return List.copyOf(started);
  }

  @Override
  public synchronized Probe create(Monitor monitor, List<Release> releases) {
    started.add(monitor.name() + " " + releases.stream().map(Release::uniqueName).toList());
    return probes.getOrDefault(monitor.name(), () -> ProbeResult.success("fake: ok"));
  }
}
