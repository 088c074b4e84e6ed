package dev.deployer.core.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;

class RemoteValuesTest {

  @Test
  void theBodyIsTheValuesTextAndRedirectsAreFollowed() throws IOException, InterruptedException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "/v2.yml"));
      server.enqueue(new MockResponse().setBody("replicas: 3\nimage: {tag: \"1.2\"}\n"));
      URI uri = server.url("/values.yml").uri();

      assertThat(RemoteValues.fetch(uri)).isEqualTo("replicas: 3\nimage: {tag: \"1.2\"}\n");
      assertThat(server.takeRequest().getPath()).isEqualTo("/values.yml");
      assertThat(server.takeRequest().getPath()).isEqualTo("/v2.yml");
    }
  }

  @Test
  void anAnswerOtherThan200NamesTheUrlAndTheStatus() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(404).setBody("not here"));
      URI uri = server.url("/prod.yml").uri();

      assertThatThrownBy(() -> RemoteValues.fetch(uri))
          .isInstanceOf(PlanBuilder.ReleaseBuildException.class)
          .hasMessage("values file " + uri + ": HTTP 404");
    }
  }

  @Test
  void anUnreachableServerNamesTheUrl() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    URI uri = URI.create("http://127.0.0.1:" + port + "/values.yml");

    assertThatThrownBy(() -> RemoteValues.fetch(uri))
        .isInstanceOf(PlanBuilder.ReleaseBuildException.class)
        .hasMessageStartingWith("values file " + uri + ": cannot fetch it: ");
  }
}
