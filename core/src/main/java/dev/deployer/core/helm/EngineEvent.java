package dev.deployer.core.helm;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Optional;

/**
 * Something the engine reported while an operation ran: Helm's log lines, and what Helm waits for.
 *
 * @param type what the event is
 * @param level Helm's log level: {@code debug}, {@code info}, {@code warn} or {@code error}
 * @param message Helm's message
 * @param fields Helm's structured fields ({@code kind}, {@code namespace}, {@code name}, {@code
 *     actualStatus} while waiting)
 */
public record EngineEvent(Type type, String level, String message, Map<String, String> fields) {
  /** What an event is. */
  public enum Type {
    /** One of Helm's log lines; also any type a newer engine may send. */
    @JsonProperty("log")
    @JsonEnumDefaultValue
    LOG,
    /** Helm waits for a resource: its fields name it and its status. */
    @JsonProperty("waiting")
    WAITING,
    /** A warning the API server sent (a deprecated API version, an unknown field). */
    @JsonProperty("warning")
    WARNING
  }

  public EngineEvent {
    fields = Map.copyOf(fields);
  }

  /**
   * While waiting: the resource Helm waits for and its status, as {@code Deployment shop/api:
   * InProgress}.
   */
  public Optional<String> waitingFor() {
    if (type != Type.WAITING) {
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
    return type == Type.WARNING ? Optional.of(message) : Optional.empty();
  }
}
