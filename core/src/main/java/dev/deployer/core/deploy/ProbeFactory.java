package dev.deployer.core.deploy;

import dev.deployer.core.monitor.Probe;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.Release;
import java.util.List;

/** Makes the probe of a monitor, for the releases that reference it. */
@FunctionalInterface
public interface ProbeFactory {

  /**
   * @throws dev.deployer.core.monitor.ProbeException when the monitor's settings cannot work
   */
  Probe create(Monitor monitor, List<Release> releases);
}
