package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class HelmJavaEngineTest {

  private final HelmEngine engine = new HelmJavaEngine();

  @Test
  void probe() {
    System.out.println(
        engine.render(
            new RenderRequest(
                "shop",
                "payments",
                scenario("web"),
                List.of(scenario("values-1.yaml"), scenario("values-2.yaml")))));
  }

  @Test
  void probeBroken() {
    assertThatThrownBy(
            () -> engine.render(new RenderRequest("x", "y", scenario("broken"), List.of())))
        .satisfies(e -> System.out.println(e.getMessage()));
  }

  static Path scenario(String name) {
    try {
      return Path.of(HelmJavaEngineTest.class.getResource("/render/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
