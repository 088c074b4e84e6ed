package dev.deployer.core.helm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code helm rollback} on Helm's release records, for what helm-java lacks: the target revision's
 * stored manifest is applied (see {@link ManifestApplier}), what only the current revision has is
 * deleted, and a new revision records the rollback. The records written are those Helm writes, so
 * {@code helm history}, {@code helm status} and later upgrades read them as Helm's own.
 *
 * <p>Chart hooks of the target revision ({@code pre-rollback}, {@code post-rollback}) are not run,
 * and nothing waits for the applied objects to become ready: the caller checks readiness.
 */
public final class ReleaseRollback {

  private static final Logger LOG = LoggerFactory.getLogger(ReleaseRollback.class);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final KubernetesClient client;
  private final ReleaseStore store;

  /** Safe for concurrent use on different releases; one release needs one operation at a time. */
  public ReleaseRollback(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.store = new ReleaseStore(client);
  }

  /**
   * Rolls a release back as {@code helm rollback NAME [REVISION]} does. With revision N the newest,
   * writes revision N+1: a copy of the target's chart, values, manifest and hooks, status {@code
   * pending-rollback} while the objects are applied, then {@code deployed} with description {@code
   * Rollback to X}; every revision that was {@code deployed} becomes {@code superseded}.
   *
   * <p>When applying fails the new revision is {@code failed}, its description {@code Rollback
   * "NAME" failed: <reason>}, and revision N {@code superseded}, as Helm leaves them.
   *
   * @param revision the revision to roll back to; 0 for the one before the newest
   * @return the new, deployed revision
   * @throws ReleaseStateException when the release or the revision does not exist, or another
   *     operation writes the new revision first
   * @throws RollbackFailedException when the objects could not be applied
   */
  public ReleaseRecord rollback(String namespace, String release, int revision) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative: " + revision);
    }
    List<ReleaseRecord> history = store.history(namespace, release);
    if (history.isEmpty()) {
      throw new ReleaseStateException("release " + namespace + "/" + release + " not found");
    }
    ReleaseRecord current = history.get(history.size() - 1);
    int targetVersion = revision == 0 ? current.version() - 1 : revision;
    ReleaseRecord target =
        history.stream()
            .filter(r -> r.version() == targetVersion)
            .findFirst()
            .orElseThrow(
                () ->
                    new ReleaseStateException(
                        "release "
                            + namespace
                            + "/"
                            + release
                            + " has no revision "
                            + targetVersion));
    return rollback(current, target);
  }

  /**
   * Resolves a release whose newest revision is stuck in {@code pending-install}, {@code
   * pending-upgrade} or {@code pending-rollback} (a Helm run was killed), for {@code
   * pending_release_strategy: rollback}: the stuck revision is marked {@code failed}, then the
   * release is rolled back to its deployed revision; when none is deployed, the release is
   * uninstalled (the stuck revision's objects and every record deleted).
   *
   * @return the new, deployed revision; empty when the release was uninstalled
   * @throws ReleaseStateException when the release does not exist or its newest revision is not
   *     pending
   * @throws RollbackFailedException when the rollback's objects could not be applied
   */
  public Optional<ReleaseRecord> resolvePendingByRollback(String namespace, String release) {
    ReleaseRecord stuck = pendingLatest(namespace, release);
    Optional<ReleaseRecord> deployed = store.deployed(namespace, release);
    if (deployed.isEmpty()) {
      uninstall(namespace, release, stuck);
      return Optional.empty();
    }
    ReleaseRecord failed =
        markFailed(
            stuck,
            "Interrupted while "
                + stuck.status()
                + "; deployer rolls back to "
                + deployed.get().version());
    return Optional.of(rollback(failed, deployed.get()));
  }

  /**
   * Marks a release's stuck {@code pending-*} newest revision {@code failed} with the reason as its
   * description, so that Helm accepts the next upgrade.
   *
   * @return the rewritten revision
   * @throws ReleaseStateException when the release does not exist or its newest revision is not
   *     pending
   */
  public ReleaseRecord markPendingFailed(String namespace, String release, String reason) {
    Objects.requireNonNull(reason, "reason");
    return markFailed(pendingLatest(namespace, release), reason);
  }

  private ReleaseRecord rollback(ReleaseRecord current, ReleaseRecord target) {
    String namespace = current.namespace();
    String release = current.name();
    LOG.debug(
        "rolling back {}/{} from revision {} to {}",
        namespace,
        release,
        current.version(),
        target.version());
    ObjectNode next = target.release();
    ObjectNode info = NODES.objectNode();
    JsonNode firstDeployed = current.release().path("info").path("first_deployed");
    if (!firstDeployed.asText("").isEmpty()) {
      info.set("first_deployed", firstDeployed);
    }
    info.put("last_deployed", goTime());
    info.put("deleted", "");
    info.put("description", "Rollback to " + target.version());
    info.put("status", ReleaseRecord.PENDING_ROLLBACK);
    String notes = next.path("info").path("notes").asText("");
    if (!notes.isEmpty()) {
      info.put("notes", notes);
    }
    next.put("name", release);
    next.set("info", info);
    next.put("version", current.version() + 1);
    next.put("namespace", namespace);
    store.create(namespace, next, target.labels());

    try {
      new ManifestApplier(client).apply(release, namespace, current.manifest(), target.manifest());
    } catch (RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      LOG.debug("rollback of {}/{} failed", namespace, release, e);
      // As Helm: the revision rolled back from is superseded whatever happened, and a failure to
      // record that must not leave the new revision pending.
      try {
        store.update(namespace, withStatus(current.release(), ReleaseRecord.SUPERSEDED, null));
      } catch (RuntimeException recordFailure) {
        e.addSuppressed(recordFailure);
      }
      info.put("status", ReleaseRecord.FAILED);
      info.put("description", "Rollback \"" + release + "\" failed: " + reason);
      throw new RollbackFailedException(store.update(namespace, next), e);
    }

    for (ReleaseRecord record : store.history(namespace, release)) {
      if (record.status().equals(ReleaseRecord.DEPLOYED)) {
        store.update(namespace, withStatus(record.release(), ReleaseRecord.SUPERSEDED, null));
      }
    }
    info.put("status", ReleaseRecord.DEPLOYED);
    return store.update(namespace, next);
  }

  private ReleaseRecord pendingLatest(String namespace, String release) {
    ReleaseRecord latest =
        store
            .latest(namespace, release)
            .orElseThrow(
                () ->
                    new ReleaseStateException(
                        "release " + namespace + "/" + release + " not found"));
    if (!latest.isPending()) {
      throw new ReleaseStateException(
          "release "
              + namespace
              + "/"
              + release
              + " is not pending: its revision "
              + latest.version()
              + " is "
              + latest.status());
    }
    return latest;
  }

  private ReleaseRecord markFailed(ReleaseRecord record, String description) {
    return store.update(
        record.namespace(), withStatus(record.release(), ReleaseRecord.FAILED, description));
  }

  // As helm uninstall without --keep-history: status uninstalling, objects deleted, records purged.
  private void uninstall(String namespace, String release, ReleaseRecord latest) {
    LOG.debug("uninstalling {}/{}: no revision is deployed", namespace, release);
    store.update(
        namespace,
        withStatus(
            latest.release(),
            ReleaseRecord.UNINSTALLING,
            "Deletion in progress (or silently failed)"));
    new ManifestApplier(client).deleteAll(namespace, latest.manifest());
    for (ReleaseRecord record : store.history(namespace, release)) {
      store.delete(namespace, release, record.version());
    }
  }

  private static ObjectNode withStatus(ObjectNode release, String status, String description) {
    JsonNode existing = release.get("info");
    ObjectNode info = existing instanceof ObjectNode o ? o : release.putObject("info");
    info.put("status", status);
    if (description != null) {
      info.put("description", description);
    }
    return release;
  }

  // Go's time.Time JSON: RFC 3339 with up to nine fraction digits, trailing zeros dropped.
  private static String goTime() {
    return OffsetDateTime.now(ZoneId.systemDefault())
        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
  }
}
