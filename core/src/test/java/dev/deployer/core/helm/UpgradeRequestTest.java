package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.plan.Chart;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Helm's upgrade options are the plan's deploy options: one home for each and its default. */
class UpgradeRequestTest {
  private static final ReleaseRef REF = new ReleaseRef("kubeconfig", "shop", "api");

  private static Release release(Release.Deployment deployment) {
    Location here = Location.of(Path.of("deployer.yml"));
    return Release.of("api", "shop", Optional.empty(), Chart.local("./web", here), here)
        .withDeployment(deployment);
  }

  private static EngineProtocol.UpgradeCall call(Release r) {
    return NativeHelmEngine.upgradeCall(
        "upgrade",
        new UpgradeRequest(REF, Path.of("web"), List.of(), UpgradeRequest.UpgradeOptions.of(r)));
  }

  @Test
  void aReleaseWithNoDeployOptionsIsSentTheDeploymentDefaults() {
    EngineProtocol.UpgradeCall sent = call(release(Release.Deployment.DEFAULTS));
    assertThat(sent.timeoutMs()).isEqualTo(Release.Deployment.DEFAULT_TIMEOUT.toMillis());
    assertThat(sent.maxHistory()).isEqualTo(Release.Deployment.DEFAULT_MAX_HISTORY);
    assertThat(sent.waitStrategy()).isEqualTo("hookOnly");
    assertThat(sent.serverSide()).isEqualTo("auto");
    assertThat(sent.labels()).containsOnlyKeys(UpgradeRequest.UpgradeOptions.DIGEST_LABEL);
  }

  @Test
  void thePlansOptionsReachHelmAsTheyAre() {
    Release.Deployment d =
        Release.Deployment.DEFAULTS.withTimeout(Duration.ofSeconds(90)).withAtomic(true);
    EngineProtocol.UpgradeCall sent = call(release(d));
    assertThat(sent.timeoutMs()).isEqualTo(90_000);
    assertThat(sent.rollbackOnFailure()).isTrue();
  }

  @Test
  void theDigestOfTheDefaultsIsTheOneEarlierDeployersLabelledRevisionsWith() {
    // Computed from the option text deployer has always hashed: a different digest would make
    // every release deployed before look changed.
    assertThat(UpgradeRequest.UpgradeOptions.DEFAULTS.digest())
        .isEqualTo("2a8597e2fd8a9d8dc629c6a10ff8a105");
  }

  @Test
  void aRollbackWithHelmsDefaultsHasTheDeploymentDefaultsButItsTimeout() {
    RollbackRequest r = RollbackRequest.to(REF, 1, Duration.ofMinutes(1));
    assertThat(r.deployment())
        .isEqualTo(Release.Deployment.DEFAULTS.withTimeout(Duration.ofMinutes(1)));
  }
}
