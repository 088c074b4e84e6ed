package dev.deployer.core.helm;

import java.util.Map;
import java.util.Optional;

/**
 * Something the engine reported while an operation ran: Helm's log lines, and what Helm waits for.
 *
 * @param type {@code waiting} while Helm waits for a resource, {@code warning} for a warning the
 *     API server sent (a deprecated API version, an unknown field), else {@code log}
 * @param level Helm's log level: {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param message Helm's message
 * @param fields Helm's structured fields ({@code kind}, {@code namespace}, {@code name}, {@code
 *     actualStatus} while waiting)
 */
public record EngineEvent(String type, String level, String message, Map<String, String> fields) {
  public EngineEvent {
    fields = Map.copyOf(fields);
  }

  /**
   * While waiting: the resource Helm waits for and its status, as {@code Deployment shop/api:
   * InProgress}.
   */
  public Optional<String> waitingFor() {
    if (!"waiting".equals(type)) {
      return Optional.empty();
    }
    String ns = fields.getOrDefault("namespace", "");
    return Optional.of(
        fields.getOrDefault("kind", "resource")
            + " "
            + (ns.isEmpty() ? "" : ns + "/")
            + fields.getOrDefault("name", "?")
            + ": "
            + fields.getOrDefault("actualStatus", "unknown"));
  }

  /** A warning the API server sent with its answer, as it worded it. */
  public Optional<String> warning() {
    return "warning".equals(type) ? Optional.of(message) : Optional.empty();
  }
}
