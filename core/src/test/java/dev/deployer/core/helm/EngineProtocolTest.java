package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The engine's protocol against the fixtures that the Go side's protocol_test.go reads too: each
 * decodes into its record, with every field known, and encodes again to the same JSON. A field
 * renamed in a record (or in Go) fails here (or there).
 */
class EngineProtocolTest {
  /** Each fixture's record, by file name: the Go test has the same list. */
  private static final Map<String, Class<?>> FIXTURES = new TreeMap<>();

  static {
    FIXTURES.put("version.result.json", EngineProtocol.VersionResult.class);
    FIXTURES.put("render.request.json", EngineProtocol.RenderCall.class);
    FIXTURES.put("render.result.json", EngineProtocol.RenderResult.class);
    FIXTURES.put("upgrade.request.json", EngineProtocol.UpgradeCall.class);
    FIXTURES.put("upgrade.result.json", EngineProtocol.UpgradeResult.class);
    FIXTURES.put("plan_upgrade.request.json", EngineProtocol.UpgradeCall.class);
    FIXTURES.put("plan_upgrade.result.json", EngineProtocol.PlanUpgradeResult.class);
    FIXTURES.put("rollback.request.json", EngineProtocol.RollbackCall.class);
    FIXTURES.put("rollback.result.json", EngineProtocol.RollbackResult.class);
    FIXTURES.put("uninstall.request.json", EngineProtocol.UninstallCall.class);
    FIXTURES.put("uninstall.result.json", EngineProtocol.UninstallResult.class);
    FIXTURES.put("history.request.json", EngineProtocol.HistoryCall.class);
    FIXTURES.put("history.result.json", EngineProtocol.HistoryResult.class);
    FIXTURES.put("mark_failed.request.json", EngineProtocol.MarkFailedCall.class);
    FIXTURES.put("mark_failed.result.json", EngineProtocol.MarkFailedResult.class);
    FIXTURES.put("dependency_build.request.json", EngineProtocol.DependencyBuildCall.class);
    FIXTURES.put("dependency_build.result.json", EngineProtocol.DependencyBuildResult.class);
    FIXTURES.put("package.request.json", EngineProtocol.PackageCall.class);
    FIXTURES.put("package.result.json", EngineProtocol.PackageResult.class);
    FIXTURES.put("lint.request.json", EngineProtocol.LintCall.class);
    FIXTURES.put("lint.result.json", EngineProtocol.LintResult.class);
    FIXTURES.put("error.json", EngineProtocol.Failure.class);
    FIXTURES.put("event.json", EngineProtocol.Event.class);
  }

  /** The protocol's own mapper, refusing what a record does not know. */
  private static final ObjectMapper STRICT =
      EngineProtocol.JSON.copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in =
        EngineProtocolTest.class.getResourceAsStream("/engine-protocol/" + name)) {
      assertThat(in).as("fixture " + name).isNotNull();
      return STRICT.readTree(in);
    }
  }

  @Test
  void everyFixtureDecodesIntoItsRecordAndEncodesToTheSameJson() throws IOException {
    for (Map.Entry<String, Class<?>> f : FIXTURES.entrySet()) {
      JsonNode json = fixture(f.getKey());
      Object decoded = STRICT.treeToValue(json, f.getValue());
      // As text, as the engine reads it: a long of 300000 reads back as the fixture's number.
      JsonNode again = STRICT.readTree(STRICT.writeValueAsString(decoded));
      assertThat(again).as(f.getKey()).isEqualTo(json);
      if (decoded instanceof EngineProtocol.Request r) {
        assertThat(f.getKey()).isEqualTo(r.op() + ".request.json");
      }
    }
  }

  @Test
  void aRenamedFieldIsRefused() throws IOException {
    ObjectNode json = (ObjectNode) fixture("history.request.json");
    json.set("releasename", json.remove("release_name"));
    assertThatThrownBy(() -> STRICT.treeToValue(json, EngineProtocol.HistoryCall.class))
        .isInstanceOf(UnrecognizedPropertyException.class)
        .hasMessageContaining("releasename");
  }

  @Test
  void kindsStatusesAndSeveritiesArriveAsConstants() throws IOException {
    EngineProtocol.Failure error =
        STRICT.treeToValue(fixture("error.json"), EngineProtocol.Failure.class);
    assertThat(error.kind()).isEqualTo(HelmOperationException.Reason.UNREACHABLE);
    ReleaseRevision failed = error.release().toRevision();
    assertThat(failed.status()).isEqualTo(ReleaseStatus.FAILED);
    assertThat(failed.lastDeployed()).isPresent();
    assertThat(
            STRICT
                .treeToValue(fixture("lint.result.json"), EngineProtocol.LintResult.class)
                .messages())
        .extracting(HelmEngine.LintFinding::severity)
        .containsExactly(
            HelmEngine.Severity.WARNING, HelmEngine.Severity.INFO, HelmEngine.Severity.ERROR);
    assertThat(
            STRICT
                .treeToValue(fixture("event.json"), EngineProtocol.Event.class)
                .toEvent()
                .waitingFor())
        .contains("Deployment shop/api: InProgress");
  }

  @Test
  void whatANewerEngineAddsIsReadAsTheNearestKnownWord() throws IOException {
    JsonNode answer =
        EngineProtocol.JSON.readTree(
            "{\"kind\":\"quota\",\"message\":\"m\",\"release\":{\"status\":\"archived\"},"
                + "\"extra\":1}");
    EngineProtocol.Failure error =
        EngineProtocol.JSON.treeToValue(answer, EngineProtocol.Failure.class);
    assertThat(error.kind()).isEqualTo(HelmOperationException.Reason.FAILED);
    assertThat(error.release().toRevision().status()).isEqualTo(ReleaseStatus.UNKNOWN);
  }

  @Test
  void anUnreachableClusterIsADeployerFailureOfItsOwnKind() {
    var e =
        new HelmOperationException(
            "kubernetes cluster unreachable",
            Optional.empty(),
            HelmOperationException.Reason.UNREACHABLE);
    assertThat(e.kind()).isEqualTo(dev.deployer.core.error.DeployerException.Kind.UNREACHABLE);
    assertThat(new HelmOperationException("boom").kind())
        .isEqualTo(dev.deployer.core.error.DeployerException.Kind.FAILED);
  }
}
