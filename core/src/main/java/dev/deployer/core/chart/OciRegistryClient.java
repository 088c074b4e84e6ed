package dev.deployer.core.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Authenticator;
import okhttp3.Challenge;
import okhttp3.Credentials;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches charts from an OCI registry with the distribution API: list tags, read the manifest,
 * download the layer holding the chart archive.
 */
final class OciRegistryClient {

  private static final Logger LOG = LoggerFactory.getLogger(OciRegistryClient.class);

  static final String CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip";
  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";

  private final OkHttpClient base;
  private final ObjectMapper json = new ObjectMapper();

  OciRegistryClient(OkHttpClient base) {
    this.base = base;
  }

  FetchedChart fetch(ChartReference.Oci reference, Path targetDir) {
    Location location = Location.of(reference.reference());
    RemoteAccess access = reference.access();
    OkHttpClient client =
        Transport.configure(base, access)
            .newBuilder()
            .authenticator(new RegistryAuthenticator(base, access, location.host()))
            .build();
    String constraint = reference.version().isEmpty() ? location.tag() : reference.version();
    String display = "oci://" + location.host() + "/" + location.repository();

    List<String> versions = tags(client, location, access, display);
    String version =
        VersionSelector.highestMatch(versions, constraint)
            .orElseThrow(
                () ->
                    new NoMatchingVersionException(
                        display, constraint, VersionSelector.newestFirst(versions)));

    // Helm stores the '+' of semver build metadata as '_' in tags.
    URI manifestUrl = location.api("manifests/" + version.replace('+', '_'));
    String layerDigest;
    try (Response response =
        client
            .newCall(
                new Request.Builder()
                    .url(manifestUrl.toString())
                    .header("Accept", OCI_MANIFEST)
                    .build())
            .execute()) {
      HelmRepositoryClient.requireSuccess(response, manifestUrl, access, display + " " + version);
      layerDigest = chartLayer(json.readTree(response.body().byteStream()), display, version);
    } catch (IOException e) {
      throw new ChartFetchException(
          "cannot read the manifest of " + display + " " + version + ": " + e.getMessage(), e);
    }

    URI blobUrl = location.api("blobs/" + layerDigest);
    String fileName = location.chart() + "-" + version + ".tgz";
    LOG.debug("downloading {} {} from {}", display, version, blobUrl);
    try (Response response =
        client.newCall(new Request.Builder().url(blobUrl.toString()).build()).execute()) {
      HelmRepositoryClient.requireSuccess(response, blobUrl, access, display + " " + version);
      String digest = Transport.saveTo(response.body(), targetDir, fileName);
      if (!digest.equals(layerDigest)) {
        throw new ChartFetchException(
            display
                + " "
                + version
                + ": downloaded layer has digest "
                + digest
                + " but the manifest says "
                + layerDigest);
      }
      return new FetchedChart(
          location.chart(),
          version,
          digest,
          targetDir.resolve(fileName),
          URI.create(display + ":" + version.replace('+', '_')));
    } catch (IOException e) {
      throw new ChartFetchException(
          "cannot download " + display + " " + version + ": " + e.getMessage(), e);
    }
  }

  private List<String> tags(
      OkHttpClient client, Location location, RemoteAccess access, String display) {
    List<String> versions = new ArrayList<>();
    HttpUrl next = HttpUrl.get(location.api("tags/list").toString());
    while (next != null) {
      try (Response response = client.newCall(new Request.Builder().url(next).build()).execute()) {
        if (response.code() == 404) {
          throw new ChartNotFoundException("chart " + display + " not found in the registry");
        }
        HelmRepositoryClient.requireSuccess(response, next.uri(), access, display);
        JsonNode tags = json.readTree(response.body().byteStream()).path("tags");
        tags.forEach(tag -> versions.add(tag.asText().replace('_', '+')));
        // Registries page long tag lists with an RFC 5988 Link header.
        String link = response.header("Link");
        next = link == null ? null : nextPage(next, link);
      } catch (IOException e) {
        throw new ChartFetchException(
            "cannot list the versions of " + display + ": " + e.getMessage(), e);
      }
    }
    return versions;
  }

  private static HttpUrl nextPage(HttpUrl current, String link) {
    int open = link.indexOf('<');
    int close = link.indexOf('>');
    if (open < 0 || close < open || !link.contains("rel=\"next\"")) {
      return null;
    }
    return current.resolve(link.substring(open + 1, close));
  }

  private static String chartLayer(JsonNode manifest, String display, String version) {
    for (JsonNode layer : manifest.path("layers")) {
      if (CHART_LAYER.equals(layer.path("mediaType").asText())) {
        return layer.path("digest").asText();
      }
    }
    throw new ChartFetchException(
        display + " " + version + " is not a Helm chart: no layer of type " + CHART_LAYER);
  }

  /** Where a chart lives: registry host, repository path, chart name, optional tag. */
  record Location(String host, String repository, String chart, String tag) {

    static Location of(URI reference) {
      String host = reference.getAuthority();
      String path = reference.getPath().replaceAll("^/+|/+$", "");
      String tag = ChartReference.Oci.tagOf(reference);
      if (!tag.isEmpty()) {
        path = path.substring(0, path.length() - tag.length() - 1);
      }
      return new Location(host, path, path.substring(path.lastIndexOf('/') + 1), tag);
    }

    /** Test registries on the loopback interface speak plain HTTP. */
    String scheme() {
      String name = host.toLowerCase(Locale.ROOT).replaceAll(":\\d+$", "");
      boolean loopback =
          name.equals("localhost") || name.equals("127.0.0.1") || name.equals("[::1]");
      return loopback ? "http" : "https";
    }

    URI api(String suffix) {
      return URI.create(scheme() + "://" + host + "/v2/" + repository + "/" + suffix);
    }
  }

  /**
   * Answers registry challenges: Basic with the credentials, or Bearer with a token from the realm
   * the registry names (anonymously when no credentials are given), as docker and Helm do.
   */
  private static final class RegistryAuthenticator implements Authenticator {

    private final OkHttpClient tokenClient;
    private final RemoteAccess access;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();
    private final String registryHost;

    RegistryAuthenticator(OkHttpClient base, RemoteAccess access, String registryHost) {
      this.tokenClient = Transport.configure(base, access);
      this.access = access;
      this.registryHost = registryHost;
    }

    @Override
    public Request authenticate(Route route, Response response) throws IOException {
      if (response.request().header("Authorization") != null) {
        return null; // refused once: give up and let the 401 reach the caller
      }
      HttpUrl url = response.request().url();
      HttpUrl registry = HttpUrl.parse(url.scheme() + "://" + registryHost + "/");
      if (registry == null
          || !registry.host().equalsIgnoreCase(url.host())
          || registry.port() != url.port()) {
        return null; // a redirect target (blob storage) gets no registry credentials
      }
      for (Challenge challenge : response.challenges()) {
        String scheme = challenge.scheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("basic") && access.hasCredentials()) {
          return withAuthorization(
              response, Credentials.basic(access.username(), access.password()));
        }
        if (scheme.equals("bearer") && challenge.authParams().get("realm") != null) {
          String token = token(challenge.authParams());
          return token == null ? null : withAuthorization(response, "Bearer " + token);
        }
      }
      return null;
    }

    private String token(Map<String, String> params) throws IOException {
      HttpUrl realm = HttpUrl.parse(params.get("realm"));
      if (realm == null) {
        return null;
      }
      HttpUrl.Builder url = realm.newBuilder();
      if (params.get("service") != null) {
        url.addQueryParameter("service", params.get("service"));
      }
      if (params.get("scope") != null) {
        url.addQueryParameter("scope", params.get("scope"));
      }
      HttpUrl tokenUrl = url.build();
      String cached = tokens.get(tokenUrl.toString());
      if (cached != null) {
        return cached;
      }
      Request.Builder request = new Request.Builder().url(tokenUrl);
      if (access.hasCredentials()) {
        request.header("Authorization", Credentials.basic(access.username(), access.password()));
      }
      try (Response response = tokenClient.newCall(request.build()).execute()) {
        if (!response.isSuccessful()) {
          return null;
        }
        JsonNode body = json.readTree(response.body().byteStream());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
          return null;
        }
        tokens.put(tokenUrl.toString(), token);
        return token;
      }
    }

    private static Request withAuthorization(Response response, String value) {
      return response.request().newBuilder().header("Authorization", value).build();
    }
  }
}
