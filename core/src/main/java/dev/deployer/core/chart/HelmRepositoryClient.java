package dev.deployer.core.chart;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Fetches charts from a classic Helm repository: {@code index.yaml}, then the chart's URL. */
final class HelmRepositoryClient {

  private static final Logger LOG = LoggerFactory.getLogger(HelmRepositoryClient.class);

  // Public indexes reach tens of megabytes; snakeyaml-engine's default limit is 3 MB.
  private static final int MAX_INDEX_CODE_POINTS = 512 * 1024 * 1024;

  private final OkHttpClient base;

  HelmRepositoryClient(OkHttpClient base) {
    this.base = base;
  }

  FetchedChart fetch(ChartReference.Repo reference, Path targetDir) {
    HelmRepository repository = reference.repository();
    OkHttpClient client = Transport.configure(base, repository.access());
    URI root = withTrailingSlash(repository.url());
    String chartName = reference.chart();
    String display = repository.name() + "/" + chartName;

    List<Map<?, ?>> entries = chartEntries(client, repository, root, chartName, display);
    List<String> versions = new ArrayList<>();
    for (Map<?, ?> entry : entries) {
      Object version = entry.get("version");
      if (version != null) {
        versions.add(String.valueOf(version));
      }
    }
    String version =
        VersionSelector.highestMatch(versions, reference.version())
            .orElseThrow(
                () ->
                    new NoMatchingVersionException(
                        display, reference.version(), VersionSelector.newestFirst(versions)));
    Map<?, ?> entry =
        entries.stream()
            .filter(e -> version.equals(String.valueOf(e.get("version"))))
            .findFirst()
            .orElseThrow();

    URI chartUrl = chartUrl(root, entry, display, version);
    String expectedDigest = entry.get("digest") instanceof String d ? d : null;
    String fileName = chartName + "-" + version + ".tgz";
    LOG.debug("downloading {} {} from {}", display, version, chartUrl);
    // Like Helm, send credentials only to the repository's own host.
    Request.Builder request = new Request.Builder().url(chartUrl.toString());
    if (Objects.equals(chartUrl.getAuthority(), root.getAuthority())) {
      authorize(request, repository.access());
    }
    try (Response response = client.newCall(request.build()).execute()) {
      requireSuccess(response, chartUrl, repository.access(), display + " " + version);
      String digest = Transport.saveTo(response.body(), targetDir, fileName);
      if (expectedDigest != null && !digest.equals("sha256:" + expectedDigest)) {
        throw new ChartFetchException(
            display
                + " "
                + version
                + ": downloaded archive has digest "
                + digest
                + " but the repository index says sha256:"
                + expectedDigest);
      }
      return new FetchedChart(chartName, version, digest, targetDir.resolve(fileName), chartUrl);
    } catch (IOException e) {
      throw new ChartFetchException(
          "cannot download " + display + " from " + chartUrl + ": " + e.getMessage(), e);
    }
  }

  private static List<Map<?, ?>> chartEntries(
      OkHttpClient client, HelmRepository repository, URI root, String chartName, String display) {
    URI indexUrl = root.resolve("index.yaml");
    Request.Builder request = new Request.Builder().url(indexUrl.toString());
    authorize(request, repository.access());
    Object index;
    try (Response response = client.newCall(request.build()).execute()) {
      requireSuccess(response, indexUrl, repository.access(), "repository " + repository.name());
      LoadSettings settings =
          LoadSettings.builder()
              .setCodePointLimit(MAX_INDEX_CODE_POINTS)
              .setLabel(indexUrl.toString())
              .build();
      try (InputStream in = response.body().byteStream()) {
        index = new Load(settings).loadFromInputStream(in);
      }
    } catch (IOException e) {
      throw new ChartFetchException(
          "cannot read the index of repository "
              + repository.name()
              + " at "
              + indexUrl
              + ": "
              + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      if (e instanceof ChartFetchException) {
        throw e;
      }
      throw new ChartFetchException(
          "repository " + repository.name() + ": " + indexUrl + " is not a Helm index", e);
    }
    if (!(index instanceof Map<?, ?> indexMap
        && indexMap.get("entries") instanceof Map<?, ?> all)) {
      throw new ChartFetchException(
          "repository " + repository.name() + ": " + indexUrl + " has no 'entries'");
    }
    if (!(all.get(chartName) instanceof List<?> list) || list.isEmpty()) {
      TreeSet<String> known = new TreeSet<>();
      all.keySet().forEach(k -> known.add(String.valueOf(k)));
      throw new ChartNotFoundException(
          "chart "
              + display
              + " not found in repository "
              + repository.name()
              + " ("
              + repository.url()
              + "); it has "
              + (known.size() <= 20 ? String.join(", ", known) : known.size() + " charts"));
    }
    List<Map<?, ?>> entries = new ArrayList<>();
    for (Object item : list) {
      if (item instanceof Map<?, ?> map) {
        entries.add(map);
      }
    }
    return entries;
  }

  private static URI chartUrl(URI root, Map<?, ?> entry, String display, String version) {
    if (!(entry.get("urls") instanceof List<?> urls)
        || urls.isEmpty()
        || !(urls.get(0) instanceof String first)) {
      throw new ChartFetchException(
          display + " " + version + ": the repository index lists no download URL");
    }
    // Helm resolves relative chart URLs against the repository URL.
    return root.resolve(URI.create(first.strip()));
  }

  static URI withTrailingSlash(URI url) {
    String text = url.toString();
    return text.endsWith("/") ? url : URI.create(text + "/");
  }

  private static void authorize(Request.Builder request, RemoteAccess access) {
    if (access.hasCredentials()) {
      request.header("Authorization", Credentials.basic(access.username(), access.password()));
    }
  }

  static void requireSuccess(Response response, URI uri, RemoteAccess access, String what) {
    int code = response.code();
    if (code == 401 || code == 403) {
      throw new ChartAuthenticationException(uri, code, access.hasCredentials());
    }
    if (code == 404) {
      throw new ChartNotFoundException(what + ": nothing at " + uri + " (HTTP 404)");
    }
    if (!response.isSuccessful()) {
      throw new ChartFetchException(what + ": HTTP " + code + " from " + uri);
    }
  }
}
