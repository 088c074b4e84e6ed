package dev.deployer.core.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvReferencesTest {
  private final EnvReferences env =
      new EnvReferences(Map.of("TOKEN", "t0k$en\\x", "EMPTY", "", "USER", "ops"));

  @Test
  void replacesEveryReferenceAndLeavesOtherTextAlone() {
    assertThat(env.resolve("Bearer ${env:TOKEN}", "p")).isEqualTo("Bearer t0k$en\\x");
    assertThat(env.resolve("${env:USER}:${env:TOKEN}", "p")).isEqualTo("ops:t0k$en\\x");
    assertThat(env.resolve("plain ${other} $TOKEN", "p")).isEqualTo("plain ${other} $TOKEN");
    assertThat(env.resolve(Optional.<String>empty(), "p")).isEmpty();
  }

  @Test
  void aDefaultServesWhenTheVariableIsUnsetOrEmpty() {
    assertThat(env.resolve("${env:MISSING:-fallback}", "p")).isEqualTo("fallback");
    assertThat(env.resolve("${env:EMPTY:-fallback}", "p")).isEqualTo("fallback");
    assertThat(env.resolve("${env:EMPTY}", "p")).isEmpty();
    assertThat(env.resolve("${env:USER:-fallback}", "p")).isEqualTo("ops");
  }

  @Test
  void anUnsetVariableNamesItAndTheProperty() {
    assertThatThrownBy(() -> env.resolve("${env:SENTRY_TOKEN}", "sentry.api_key"))
        .isInstanceOf(ProbeException.class)
        .hasMessage("sentry.api_key: the environment variable SENTRY_TOKEN is not set");
  }
}
