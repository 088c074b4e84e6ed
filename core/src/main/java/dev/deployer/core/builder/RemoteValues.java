package dev.deployer.core.builder;

import dev.deployer.core.http.HttpClients;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Values files given as http(s) URLs, as helmwave allows: fetched with the system's trusted
 * certificates, following redirects, through the same HTTP client setup as chart fetching.
 */
final class RemoteValues {
  private static final OkHttpClient CLIENT =
      HttpClients.builder("deployer-values-http", Duration.ofSeconds(15), Duration.ofSeconds(60))
          .callTimeout(Duration.ofSeconds(60))
          .build();

  private RemoteValues() {}

  /**
   * The body of {@code uri}.
   *
   * @throws PlanBuilder.ReleaseBuildException when the server answers other than 200, cannot be
   *     reached, or the body cannot be read
   */
  static String fetch(URI uri) {
    try {
      Request request = new Request.Builder().url(uri.toURL()).get().build();
      try (Response response = CLIENT.newCall(request).execute()) {
        if (response.code() != 200) {
          throw new PlanBuilder.ReleaseBuildException(
              "values file " + uri + ": HTTP " + response.code());
        }
        ResponseBody body = response.body();
        return body == null ? "" : body.string();
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new PlanBuilder.ReleaseBuildException(
          "values file " + uri + ": cannot fetch it: " + e.getMessage());
    }
  }
}
