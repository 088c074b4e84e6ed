package dev.deployer.core.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import org.junit.jupiter.api.Test;

class OciLocationTest {

  @Test
  void splitsHostRepositoryChartAndTag() {
    var location =
        OciRegistryClient.Location.of(URI.create("oci://registry.example:5000/a/b/web:1.2.3"));

    assertThat(location.host()).isEqualTo("registry.example:5000");
    assertThat(location.repository()).isEqualTo("a/b/web");
    assertThat(location.chart()).isEqualTo("web");
    assertThat(location.tag()).isEqualTo("1.2.3");
    assertThat(location.api("tags/list"))
        .isEqualTo(URI.create("https://registry.example:5000/v2/a/b/web/tags/list"));
  }

  @Test
  void loopbackRegistriesAreReachedOverPlainHttp() {
    assertThat(OciRegistryClient.Location.of(URI.create("oci://localhost:5000/web")).api("x"))
        .isEqualTo(URI.create("http://localhost:5000/v2/web/x"));
    assertThat(OciRegistryClient.Location.of(URI.create("oci://127.0.0.1/c/web")).scheme())
        .isEqualTo("http");
  }

  @Test
  void referenceMustBeOci() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new ChartReference.Oci(
                    URI.create("https://registry.example/web"), "", RemoteAccess.anonymous()))
        .withMessageContaining(
            "is not an OCI chart reference; write it as oci://HOST[:PORT]/PATH/CHART");
  }
}
