package dev.deployer.core.plan;

import java.util.Locale;

/** A release's reference to a monitor, and what to do with the release when it fails. */
public record MonitorRef(String name, Action action, Location location) {

  /** What a failed monitor does to the releases that reference it. */
  public enum Action {
    ROLLBACK,
    UNINSTALL,
    NONE;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
