package dev.deployer.core.helm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The engine's protocol, in one place: a request and a result record per operation, as the Go
 * structs in {@code core/src/main/go/protocol.go} have them. Field names are the records'
 * components in snake case ({@code releaseName} is {@code release_name}), or their
 * {@code @JsonProperty}; nothing outside this class names a field of the engine's JSON. The
 * fixtures in {@code src/test/resources/engine-protocol} are read by a test on each side.
 */
final class EngineProtocol {
  /** Changes with {@code protocolVersion} in boundary.go whenever a shape changes incompatibly. */
  static final int VERSION = 2;

  /**
   * Reads what the engine answers and writes what it is asked. A field the engine adds is passed
   * over, so that an engine newer in that way still works; an absent one is null.
   */
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .serializationInclusion(JsonInclude.Include.NON_NULL)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
          .build();

  private EngineProtocol() {}

  /** Every request; {@link #op()} names the operation. */
  interface Request {
    String op();
  }

  /** Every answer: exactly one of the two is set. */
  record Answer(JsonNode result, Failure error) {}

  /** A failed call: its kind, Helm's message, the release as Helm left it when there is one. */
  record Failure(HelmOperationException.Reason kind, String message, Revision release) {
    Failure {
      kind = Objects.requireNonNullElse(kind, HelmOperationException.Reason.FAILED);
      message = Objects.requireNonNullElse(message, "");
    }
  }

  /** Something the engine reported while a call ran. */
  record Event(EngineEvent.Type type, String level, String message, Map<String, String> fields) {
    EngineEvent toEvent() {
      return new EngineEvent(
          Objects.requireNonNullElse(type, EngineEvent.Type.LOG),
          Objects.requireNonNullElse(level, "info"),
          Objects.requireNonNullElse(message, ""),
          fields == null ? Map.of() : fields);
    }
  }

  record PostRenderer(String command, List<String> args, String dir) {}

  /** One revision of a release, as the engine writes it. */
  record Revision(
      String name,
      String namespace,
      int revision,
      ReleaseStatus status,
      String description,
      String chartName,
      String chartVersion,
      String appVersion,
      String firstDeployed,
      String lastDeployed,
      String manifest,
      List<ReleaseRevision.Hook> hooks,
      Map<String, String> labels,
      String applyMethod,
      JsonNode config) {

    ReleaseRevision toRevision() {
      return new ReleaseRevision(
          Objects.requireNonNullElse(name, ""),
          Objects.requireNonNullElse(namespace, ""),
          revision,
          Objects.requireNonNullElse(status, ReleaseStatus.UNKNOWN),
          description,
          chartName,
          chartVersion,
          appVersion,
          time(firstDeployed),
          time(lastDeployed),
          manifest,
          hooks == null ? List.of() : hooks,
          labels == null ? Map.of() : labels);
    }

    /** The values the user gave this revision as JSON with sorted keys, {@code {}} for none. */
    String canonicalConfig() {
      return config != null && config.isObject() ? config.toString() : "{}";
    }

    private static Optional<Instant> time(String text) {
      if (text == null || text.isEmpty()) {
        return Optional.empty();
      }
      try {
        return Optional.of(OffsetDateTime.parse(text).toInstant());
      } catch (DateTimeParseException e) {
        return Optional.empty();
      }
    }
  }

  record VersionCall(String op) implements Request {
    VersionCall() {
      this("version");
    }
  }

  record VersionResult(int protocol, String helm, String go, String kubeClient) {}

  record RenderCall(
      String op,
      String chart,
      List<String> valuesFiles,
      PostRenderer postRenderer,
      String releaseName,
      String namespace,
      String kubeVersion)
      implements Request {}

  record RenderResult(String manifest, String notes) {}

  /** An upgrade's request, and a plan_upgrade's. */
  record UpgradeCall(
      String op,
      String kubeconfig,
      String namespace,
      String chart,
      List<String> valuesFiles,
      PostRenderer postRenderer,
      String releaseName,
      @JsonProperty("wait") String waitStrategy,
      boolean waitForJobs,
      long timeoutMs,
      boolean rollbackOnFailure,
      boolean force,
      boolean cleanupOnFail,
      boolean disableHooks,
      boolean skipCrds,
      int maxHistory,
      boolean enableDns,
      String description,
      Map<String, String> labels,
      boolean resetValues,
      boolean reuseValues,
      @JsonProperty("disable_openapi_validation") boolean disableOpenApiValidation,
      boolean createNamespace,
      String serverSide)
      implements Request {}

  record UpgradeResult(boolean installed, Revision release) {}

  record PlanUpgradeResult(
      Revision planned, Revision latest, Revision deployed, boolean exact, String note) {}

  record RollbackCall(
      String op,
      String kubeconfig,
      String namespace,
      String releaseName,
      int revision,
      @JsonProperty("wait") String waitStrategy,
      boolean waitForJobs,
      long timeoutMs,
      boolean force,
      boolean cleanupOnFail,
      boolean disableHooks,
      int maxHistory,
      String description)
      implements Request {}

  record RollbackResult(Revision release) {}

  record UninstallCall(
      String op,
      String kubeconfig,
      String namespace,
      String releaseName,
      @JsonProperty("wait") String waitStrategy,
      long timeoutMs,
      boolean keepHistory,
      boolean disableHooks,
      String deletionPropagation,
      String description,
      boolean ignoreNotFound)
      implements Request {}

  record UninstallResult(boolean found, String info) {}

  record HistoryCall(String op, String kubeconfig, String namespace, String releaseName)
      implements Request {}

  record HistoryResult(List<Revision> revisions) {}

  record MarkFailedCall(
      String op,
      String kubeconfig,
      String namespace,
      String releaseName,
      int revision,
      String description)
      implements Request {}

  record MarkFailedResult(Revision release, boolean changed) {}

  record DependencyBuildCall(String op, String chart, boolean update) implements Request {}

  record DependencyBuildResult(String output) {}

  record PackageCall(String op, String chart, String destination) implements Request {}

  record PackageResult(String path) {}

  record LintCall(
      String op,
      String chart,
      List<String> valuesFiles,
      PostRenderer postRenderer,
      String namespace,
      String kubeVersion)
      implements Request {}

  record LintResult(List<HelmEngine.LintFinding> messages, List<String> errors) {}
}
