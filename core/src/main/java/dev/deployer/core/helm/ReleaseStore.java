package dev.deployer.core.helm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Helm's release records in a cluster, read and written as Helm's Secret storage driver does:
 * Secrets of type {@value ReleaseRecords#SECRET_TYPE} labelled {@code owner=helm}, {@code
 * name=RELEASE}, {@code status}, {@code version} in the release namespace. What this class writes
 * the {@code helm} CLI reads, and the other way round.
 */
public final class ReleaseStore {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseStore.class);
  private static final int CONFLICT = 409;

  private final KubernetesClient client;

  public ReleaseStore(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** Every record of a release, oldest revision first; empty when there is no such release. */
  public List<ReleaseRecord> history(String namespace, String release) {
    List<ReleaseRecord> records = new ArrayList<>();
    for (Secret secret : secrets(namespace, release)) {
      ReleaseRecord record = read(secret);
      if (record != null) {
        records.add(record);
      }
    }
    records.sort(Comparator.comparingInt(ReleaseRecord::version));
    return List.copyOf(records);
  }

  /** The newest revision, whatever its status. */
  public Optional<ReleaseRecord> latest(String namespace, String release) {
    List<ReleaseRecord> history = history(namespace, release);
    return history.isEmpty() ? Optional.empty() : Optional.of(history.get(history.size() - 1));
  }

  /**
   * The newest revision with status {@code deployed}; several can be, after concurrent Helm runs,
   * and Helm takes the newest too.
   */
  public Optional<ReleaseRecord> deployed(String namespace, String release) {
    return deployed(history(namespace, release));
  }

  /**
   * Deletes the oldest records beyond {@code maxHistory}, as Helm's {@code --history-max} does
   * after an install, upgrade or rollback: oldest first, never the newest record and never the
   * deployed one, so that more than {@code maxHistory} may remain.
   *
   * @param maxHistory how many records to keep; 0 keeps all
   * @return the revisions deleted, oldest first
   */
  public List<Integer> prune(String namespace, String release, int maxHistory) {
    if (maxHistory < 0) {
      throw new IllegalArgumentException("maxHistory must not be negative: " + maxHistory);
    }
    List<ReleaseRecord> history = history(namespace, release);
    if (maxHistory == 0 || history.size() <= maxHistory) {
      return List.of();
    }
    int latest = history.get(history.size() - 1).version();
    int deployed = deployed(history).map(ReleaseRecord::version).orElse(-1);
    List<Integer> deleted = new ArrayList<>();
    for (ReleaseRecord record : history) {
      if (history.size() - deleted.size() <= maxHistory) {
        break;
      }
      if (record.version() != latest && record.version() != deployed) {
        delete(namespace, release, record.version());
        deleted.add(record.version());
      }
    }
    LOG.debug("pruned revisions {} of release {}/{}", deleted, namespace, release);
    return List.copyOf(deleted);
  }

  /**
   * Writes a new record, as Helm's driver creates one: the release's own labels plus {@code
   * createdAt}, {@code name}, {@code owner}, {@code status}, {@code version}.
   *
   * @throws ReleaseStateException when that revision exists already (another operation wrote it)
   */
  ReleaseRecord create(String namespace, ObjectNode release, Map<String, String> ownLabels) {
    Map<String, String> labels = new LinkedHashMap<>(ownLabels);
    labels.put("createdAt", Long.toString(Instant.now().getEpochSecond()));
    Secret secret = secret(namespace, release, labels);
    try {
      Secret created = client.secrets().inNamespace(namespace).resource(secret).create();
      return read(created);
    } catch (KubernetesClientException e) {
      if (e.getCode() == CONFLICT) {
        throw new ReleaseStateException(
            "release "
                + namespace
                + "/"
                + release.path("name").asText()
                + " already has revision "
                + release.path("version").asInt()
                + ": another Helm operation is under way",
            e);
      }
      throw e;
    }
  }

  /**
   * Rewrites an existing record with a changed release, as Helm's driver updates one: the release's
   * own labels stay, {@code modifiedAt}, {@code status} and {@code version} are set and {@code
   * createdAt} goes (Helm's update rebuilds the labels without it).
   */
  ReleaseRecord update(String namespace, ObjectNode release) {
    String name = release.path("name").asText();
    int version = release.path("version").asInt();
    Secret live =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(ReleaseRecords.secretName(name, version))
            .get();
    if (live == null) {
      throw new ReleaseStateException(
          "revision " + version + " of release " + namespace + "/" + name + " is gone");
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (live.getMetadata().getLabels() != null) {
      live.getMetadata()
          .getLabels()
          .forEach(
              (key, value) -> {
                if (!ReleaseRecord.SYSTEM_LABELS.contains(key)) {
                  labels.put(key, value);
                }
              });
    }
    labels.put("modifiedAt", Long.toString(Instant.now().getEpochSecond()));
    Secret secret = secret(namespace, release, labels);
    secret.getMetadata().setResourceVersion(live.getMetadata().getResourceVersion());
    return read(client.secrets().inNamespace(namespace).resource(secret).update());
  }

  /** Deletes one record; a record already gone is fine. */
  void delete(String namespace, String release, int version) {
    client
        .secrets()
        .inNamespace(namespace)
        .withName(ReleaseRecords.secretName(release, version))
        .delete();
  }

  private static Optional<ReleaseRecord> deployed(List<ReleaseRecord> history) {
    return history.stream()
        .filter(r -> r.status().equals(ReleaseRecord.DEPLOYED))
        .max(Comparator.comparingInt(ReleaseRecord::version));
  }

  private List<Secret> secrets(String namespace, String release) {
    return client
        .secrets()
        .inNamespace(namespace)
        .withLabel("owner", "helm")
        .withLabel("name", release)
        .list()
        .getItems()
        .stream()
        .filter(s -> ReleaseRecords.SECRET_TYPE.equals(s.getType()))
        .toList();
  }

  // A record Helm cannot decode either is skipped, as Helm's driver skips it.
  private static ReleaseRecord read(Secret secret) {
    Map<String, String> data = secret.getData() == null ? Map.of() : secret.getData();
    String value = data.get("release");
    if (value == null) {
      LOG.warn("Secret {} holds no release record", secret.getMetadata().getName());
      return null;
    }
    try {
      Map<String, String> labels =
          secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
      return ReleaseRecord.of(
          ReleaseRecords.decode(value), secret.getMetadata().getNamespace(), labels);
    } catch (RuntimeException e) {
      LOG.warn("Secret {} holds no readable release record", secret.getMetadata().getName(), e);
      return null;
    }
  }

  private static Secret secret(String namespace, ObjectNode release, Map<String, String> labels) {
    String name = release.path("name").asText();
    int version = release.path("version").asInt();
    Map<String, String> all = new HashMap<>(labels);
    all.put("name", name);
    all.put("owner", "helm");
    all.put("status", release.path("info").path("status").asText());
    all.put("version", Integer.toString(version));
    return new SecretBuilder()
        .withNewMetadata()
        .withName(ReleaseRecords.secretName(name, version))
        .withNamespace(namespace)
        .withLabels(all)
        .endMetadata()
        .withType(ReleaseRecords.SECRET_TYPE)
        .withData(Map.of("release", ReleaseRecords.encode(release)))
        .build();
  }
}
