package dev.deployer.core.plan;

import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Commands run around a command's phases, for the whole plan or for one release. */
public record Lifecycle(Map<Phase, List<Hook>> hooks) {

  public static final Lifecycle NONE = new Lifecycle(Map.of());

  public Lifecycle {
    EnumMap<Phase, List<Hook>> copy = new EnumMap<>(Phase.class);
    hooks.forEach((phase, list) -> copy.put(phase, List.copyOf(list)));
    hooks = java.util.Collections.unmodifiableMap(copy);
  }

  public List<Hook> hooks(Phase phase) {
    return hooks.getOrDefault(phase, List.of());
  }

  /** The phases a hook can run in, with their names in the plan file. */
  public enum Phase {
    PRE_BUILD,
    POST_BUILD,
    PRE_UP,
    POST_UP,
    PRE_DOWN,
    POST_DOWN,
    PRE_ROLLBACK,
    POST_ROLLBACK;

    public String yamlName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One command. It runs without a shell; write {@code sh -c '...'} for shell features.
   *
   * @param show whether the command's output is shown to the user
   */
  public record Hook(
      String cmd, List<String> args, boolean show, boolean allowFailure, Location location) {
    public Hook {
      args = List.copyOf(args);
    }
  }
}
