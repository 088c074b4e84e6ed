package dev.deployer.core.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSelectorTest {

  private static final List<String> VERSIONS =
      List.of(
          "0.9.0",
          "1.0.0",
          "1.2.0",
          "v1.2.7",
          "1.3.0-rc.1",
          "1.10.0",
          "2.0.0",
          "2.1.0-beta.2",
          "latest",
          "1.2");

  @ParameterizedTest(name = "''{0}'' -> {1}")
  @CsvSource({
    "'', 2.0.0",
    "1.2.0, 1.2.0",
    "=1.2.0, 1.2.0",
    "~1.2, v1.2.7",
    "~1.2.0, v1.2.7",
    "^1.2.0, 1.10.0",
    "^0.9, 0.9.0",
    "'>=1.0.0 <2.0.0', 1.10.0",
    "'>=1.0.0, <1.3.0', v1.2.7",
    "1.x, 1.10.0",
    "1.2.x, v1.2.7",
    "*, 2.0.0",
    "'>=2.1.0-beta.1', 2.1.0-beta.2",
    "'^1.0.0 || ^2.0.0', 2.0.0",
    "1.2.0 - 1.9.9, v1.2.7",
  })
  void picksTheHighestMatchingVersionAsSpelledInTheSource(String constraint, String expected) {
    assertThat(VersionSelector.highestMatch(VERSIONS, constraint)).contains(expected);
  }

  @Test
  void preReleasesAreLeftOutUnlessTheConstraintNamesOne() {
    assertThat(VersionSelector.highestMatch(List.of("1.0.0", "1.1.0-rc.1"), "^1.0.0"))
        .contains("1.0.0");
    assertThat(VersionSelector.highestMatch(List.of("1.1.0-rc.1"), "")).isEmpty();
  }

  @Test
  void noMatchIsEmpty() {
    assertThat(VersionSelector.highestMatch(VERSIONS, "^3.0.0")).isEmpty();
  }

  @Test
  void newestFirstSortsBySemverAndDropsWhatIsNotSemver() {
    assertThat(VersionSelector.newestFirst(VERSIONS))
        .containsExactly(
            "2.1.0-beta.2", "2.0.0", "1.10.0", "1.3.0-rc.1", "v1.2.7", "1.2.0", "1.0.0", "0.9.0");
  }
}
