package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RenderRequestTest {

  @Test
  void kubeVersionDefaultsToAFixedVersion() {
    assertThat(new RenderRequest("a", "b", Path.of("c"), List.of()).kubeVersion())
        .isEqualTo(RenderRequest.DEFAULT_KUBE_VERSION)
        .isEqualTo("1.31.0");
    assertThat(new RenderRequest("a", "b", Path.of("c"), List.of(), " ").kubeVersion())
        .isEqualTo("1.31.0");
  }

  @Test
  void valuesFilesAreCopied() {
    List<Path> values = new ArrayList<>(List.of(Path.of("v.yaml")));
    RenderRequest request = new RenderRequest("a", "b", Path.of("c"), values);
    values.clear();

    assertThat(request.valuesFiles()).containsExactly(Path.of("v.yaml"));
  }

  @Test
  void releaseNameIsRequired() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new RenderRequest(" ", "b", Path.of("c"), List.of()))
        .withMessage("releaseName must not be blank");
  }
}
