package dev.deployer.core.plan;

import java.util.Locale;
import java.util.Optional;

/**
 * A release's {@code wait}: how Helm waits after applying its resources, as Helm 4's {@code
 * --wait}.
 */
public enum WaitStrategy {
  /** Waits for hooks only: Helm 4's default when {@code --wait} is not given. */
  HOOK_ONLY("hookOnly"),
  /** Watches every resource until kstatus says it is current (Helm 4's {@code --wait}). */
  WATCHER("watcher"),
  /** Helm 3's polling readiness checks. */
  LEGACY("legacy");

  private final String helmName;

  WaitStrategy(String helmName) {
    this.helmName = helmName;
  }

  /** The name Helm and the plan use. */
  public String helmName() {
    return helmName;
  }

  /** Whether Helm waits for the release's resources, not only for its hooks. */
  public boolean waitsForResources() {
    return this != HOOK_ONLY;
  }

  /** A plan's {@code wait}: a strategy's name, or a boolean ({@code true} is the watcher). */
  public static Optional<WaitStrategy> parse(String text) {
    String t = text.strip();
    if (t.equalsIgnoreCase("true")) {
      return Optional.of(WATCHER);
    }
    if (t.equalsIgnoreCase("false")) {
      return Optional.of(HOOK_ONLY);
    }
    for (WaitStrategy w : values()) {
      if (w.helmName.equalsIgnoreCase(t) || w.name().toLowerCase(Locale.ROOT).equals(t)) {
        return Optional.of(w);
      }
    }
    return Optional.empty();
  }
}
