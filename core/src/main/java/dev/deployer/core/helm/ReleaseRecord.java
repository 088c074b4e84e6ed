package dev.deployer.core.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * One revision of a Helm release as Helm's Secret storage driver keeps it (Secret {@code
 * sh.helm.release.v1.NAME.vN}).
 *
 * @param name the release name
 * @param namespace the release namespace
 * @param version the revision, from 1
 * @param status as Helm writes it: {@value #DEPLOYED}, {@value #SUPERSEDED}, {@value #FAILED},
 *     {@value #PENDING_INSTALL}, {@value #PENDING_UPGRADE}, {@value #PENDING_ROLLBACK}, {@value
 *     #UNINSTALLING}, {@value #UNINSTALLED} (or {@code unknown})
 * @param description Helm's one-line log entry ({@code Install complete}, {@code Rollback to 1})
 * @param chartName the chart's name, empty when the record has no chart
 * @param chartVersion the chart's version, empty when the record has no chart
 * @param appVersion the chart's appVersion, empty when it has none
 * @param firstDeployed when the release was first deployed
 * @param lastDeployed when this revision was deployed
 * @param manifest the rendered manifest of this revision, hooks excluded
 * @param labels the custom labels of the record's Secret (Helm's own labels {@code name}, {@code
 *     owner}, {@code status}, {@code version}, {@code createdAt}, {@code modifiedAt} excluded)
 * @param json the record as Helm stores it (JSON), to rewrite it without losing fields
 */
public record ReleaseRecord(
    String name,
    String namespace,
    int version,
    String status,
    String description,
    String chartName,
    String chartVersion,
    String appVersion,
    Optional<Instant> firstDeployed,
    Optional<Instant> lastDeployed,
    String manifest,
    Map<String, String> labels,
    String json) {

  public static final String DEPLOYED = "deployed";
  public static final String SUPERSEDED = "superseded";
  public static final String FAILED = "failed";
  public static final String PENDING_INSTALL = "pending-install";
  public static final String PENDING_UPGRADE = "pending-upgrade";
  public static final String PENDING_ROLLBACK = "pending-rollback";
  public static final String UNINSTALLING = "uninstalling";
  public static final String UNINSTALLED = "uninstalled";

  /** The labels Helm's storage driver owns; any other label of a record is the release's own. */
  static final Set<String> SYSTEM_LABELS =
      Set.of("name", "owner", "status", "version", "createdAt", "modifiedAt");

  private static final ObjectMapper JSON = new ObjectMapper();

  public ReleaseRecord {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(status, "status");
    description = Objects.requireNonNullElse(description, "");
    chartName = Objects.requireNonNullElse(chartName, "");
    chartVersion = Objects.requireNonNullElse(chartVersion, "");
    appVersion = Objects.requireNonNullElse(appVersion, "");
    Objects.requireNonNull(firstDeployed, "firstDeployed");
    Objects.requireNonNull(lastDeployed, "lastDeployed");
    manifest = Objects.requireNonNullElse(manifest, "");
    labels = Map.copyOf(labels);
    Objects.requireNonNull(json, "json");
  }

  /** Whether an operation on this revision is under way, or was cut short. */
  public boolean isPending() {
    return status.startsWith("pending-");
  }

  /** The stored JSON as a tree, a fresh copy each time. */
  public ObjectNode release() {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record's JSON was parsed before", e);
    }
  }

  /** Reads a decoded record; the namespace is the Secret's when the JSON has none. */
  static ReleaseRecord of(ObjectNode release, String secretNamespace, Map<String, String> labels) {
    JsonNode info = release.path("info");
    JsonNode chart = release.path("chart").path("metadata");
    String namespace = release.path("namespace").asText("");
    Map<String, String> own = new TreeMap<>();
    labels.forEach(
        (key, value) -> {
          if (!SYSTEM_LABELS.contains(key)) {
            own.put(key, value);
          }
        });
    return new ReleaseRecord(
        release.path("name").asText(),
        namespace.isEmpty() ? secretNamespace : namespace,
        release.path("version").asInt(),
        info.path("status").asText("unknown"),
        info.path("description").asText(""),
        chart.path("name").asText(""),
        chart.path("version").asText(""),
        chart.path("appVersion").asText(""),
        time(info.path("first_deployed")),
        time(info.path("last_deployed")),
        release.path("manifest").asText(""),
        own,
        release.toString());
  }

  // Go writes RFC 3339 with nanoseconds and the local offset, and "" for a zero time.
  private static Optional<Instant> time(JsonNode value) {
    String text = value.asText("");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
