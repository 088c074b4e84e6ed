package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecordsTest {
  private static final Location HERE = Location.of(Path.of("deployer.yml"));

  @Test
  void aCopyChangesTheNamedComponentsOnly() {
    Release r = Release.of("api", "shop", Optional.empty(), Chart.local("./web", HERE), HERE);
    Release tagged = r.withTags(List.of("web"));
    assertThat(tagged.tags()).containsExactly("web");
    assertThat(tagged)
        .isEqualTo(
            new Release(
                r.name(),
                r.namespace(),
                r.context(),
                r.chart(),
                r.values(),
                List.of("web"),
                r.dependsOn(),
                r.monitors(),
                r.deployment(),
                r.offlineKubeVersion(),
                r.description(),
                r.store(),
                r.lifecycle(),
                r.location()));
    Release.Deployment d = Release.Deployment.DEFAULTS.withTimeout(Duration.ofSeconds(3));
    assertThat(d.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(d.withTimeout(Release.Deployment.DEFAULT_TIMEOUT))
        .isEqualTo(Release.Deployment.DEFAULTS);
  }

  @Test
  void theCopyGoesThroughTheCanonicalConstructor() {
    Release r = Release.of("api", "shop", Optional.empty(), Chart.local("./web", HERE), HERE);
    List<String> tags = new ArrayList<>(List.of("a"));
    Release tagged = r.withTags(tags);
    tags.add("b");
    assertThat(tagged.tags()).containsExactly("a"); // the constructor's defensive copy
  }

  @Test
  void aNameOrTypeTheRecordHasNotIsAMistakeSaidAtOnce() {
    Chart chart = Chart.local("./web", HERE);
    assertThatThrownBy(() -> Records.with(chart, "versoin", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Chart has no component versoin");
    assertThatThrownBy(() -> Records.with(chart, "version", "1.0"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
