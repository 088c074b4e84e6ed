package dev.deployer.core.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.ReleaseHistory;
import dev.deployer.core.kube.fixture.HelmReleaseRecords;
import dev.deployer.core.kube.fixture.KubeFixture;
import dev.deployer.core.kube.fixture.TestCharts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollback, pending resolution and pruning on Helm's records, checked against the cluster objects,
 * the records themselves and the real Helm library reading them (through helm-java).
 */
class ReleaseRollbackIT {

  @RegisterExtension static final KubeFixture kube = new KubeFixture();

  // fixture-app plus a ConfigMap <release>-extra rendered only when value "extra" is set, annotated
  // helm.sh/resource-policy: keep when "keepExtra" is true.
  private static Path chart;

  private static final String FIRST =
      """
      env: {MODE: blue}
      ports: [{name: http, containerPort: 8080}]
      message: first
      """;
  private static final String SECOND =
      """
      env: {MODE: green}
      ports: [{name: http, containerPort: 9090}]
      message: second
      extra: only in the second
      """;

  @TempDir Path temp;

  private final KubernetesClient client = kube.client();
  private final ReleaseRollback rollback = new ReleaseRollback(kube.client());
  private final ReleaseStore store = new ReleaseStore(kube.client());

  @BeforeAll
  static void copyChart(@TempDir Path charts) throws IOException {
    chart = TestCharts.copy(TestCharts.FIXTURE_APP, charts);
    Files.writeString(
        chart.resolve("templates/extra.yaml"),
        """
        {{- if .Values.extra }}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ .Release.Name }}-extra
          {{- if .Values.keepExtra }}
          annotations:
            helm.sh/resource-policy: keep
          {{- end }}
        data:
          note: {{ .Values.extra | quote }}
        {{- end }}
        """);
  }

  @AfterEach
  void everyRequestWasHandled() {
    List<String> unhandled = kube.unhandledRequests();
    kube.clearUnhandledRequests();
    assertThat(unhandled).isEmpty();
  }

  @Test
  @Timeout(120)
  void rollsBackToThePreviousRevisionAsHelmWould() throws IOException {
    kube.createNamespace("rb");
    install("rb", "web", FIRST);
    upgrade("rb", "web", SECOND);
    assertThat(configMap("rb", "web-extra")).isNotNull();
    List<Secret> byHelm = HelmReleaseRecords.secrets(client, "rb", "web");
    String clusterIp =
        client.services().inNamespace("rb").withName("web").get().getSpec().getClusterIP();

    ReleaseRecord rolledBack = rollback.rollback("rb", "web", 0);

    assertThat(rolledBack.version()).isEqualTo(3);
    assertThat(rolledBack.status()).isEqualTo("deployed");
    assertThat(rolledBack.description()).isEqualTo("Rollback to 1");

    // (a) the cluster is back to revision 1
    assertThat(configMap("rb", "web").getData()).containsEntry("message", "first");
    assertThat(configMap("rb", "web-extra")).isNull();
    Deployment deployment = client.apps().deployments().inNamespace("rb").withName("web").get();
    assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(EnvVar::getName, EnvVar::getValue)
        .containsExactly(tuple("MODE", "blue"));
    assertThat(deployment.getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/managed-by", "Helm");
    assertThat(deployment.getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", "web")
        .containsEntry("meta.helm.sh/release-namespace", "rb");
    assertThat(client.services().inNamespace("rb").withName("web").get().getSpec().getPorts())
        .extracting(ServicePort::getPort)
        .containsExactly(8080);
    assertThat(client.services().inNamespace("rb").withName("web").get().getSpec().getClusterIP())
        .isEqualTo(clusterIp)
        .isNotBlank();
    assertThat(configMap("rb", "web").getMetadata().getAnnotations())
        .containsEntry("meta.helm.sh/release-name", "web");

    // (b) the records, as Helm's storage driver writes them
    List<Secret> secrets = HelmReleaseRecords.secrets(client, "rb", "web");
    assertThat(secrets)
        .extracting(s -> s.getMetadata().getName())
        .containsExactly(
            "sh.helm.release.v1.web.v1", "sh.helm.release.v1.web.v2", "sh.helm.release.v1.web.v3");
    assertThat(secrets)
        .extracting(s -> s.getMetadata().getLabels().get("status"))
        .containsExactly("superseded", "superseded", "deployed");
    Secret third = secrets.get(2);
    assertThat(third.getType()).isEqualTo("helm.sh/release.v1");
    assertThat(third.getMetadata().getLabels())
        .containsEntry("name", "web")
        .containsEntry("owner", "helm")
        .containsEntry("version", "3")
        .containsEntry("status", "deployed");
    // The same label keys as Helm's own records, deployed and superseded (modifiedAt, no
    // createdAt).
    assertThat(third.getMetadata().getLabels().keySet())
        .isEqualTo(byHelm.get(1).getMetadata().getLabels().keySet());
    assertThat(secrets.get(1).getMetadata().getLabels().keySet())
        .isEqualTo(byHelm.get(0).getMetadata().getLabels().keySet());
    JsonNode first = HelmReleaseRecords.decode(secrets.get(0));
    JsonNode written = HelmReleaseRecords.decode(third);
    assertThat(written.path("version").asInt()).isEqualTo(3);
    assertThat(written.path("namespace").asText()).isEqualTo("rb");
    assertThat(written.path("info").path("status").asText()).isEqualTo("deployed");
    assertThat(written.path("info").path("description").asText()).isEqualTo("Rollback to 1");
    assertThat(written.path("info").path("first_deployed"))
        .isEqualTo(first.path("info").path("first_deployed"));
    assertThat(written.path("info").path("last_deployed").asText())
        .isNotEqualTo(first.path("info").path("last_deployed").asText());
    assertThat(written.path("manifest")).isEqualTo(first.path("manifest"));
    assertThat(written.path("chart")).isEqualTo(first.path("chart"));
    assertThat(written.path("config")).isEqualTo(first.path("config"));
    assertThat(written.path("config").path("message").asText()).isEqualTo("first");
    JsonNode second = HelmReleaseRecords.decode(byHelm.get(1));
    assertThat(fieldNames(written)).isEqualTo(fieldNames(second));
    assertThat(fieldNames(written.path("info"))).isEqualTo(fieldNames(second.path("info")));
    assertThat(written.path("info").path("last_deployed").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,9})?(Z|[+-]\\d\\d:\\d\\d)");

    assertThat(store.history("rb", "web"))
        .extracting(ReleaseRecord::version, ReleaseRecord::status, ReleaseRecord::description)
        .containsExactly(
            tuple(1, "superseded", "Install complete"),
            tuple(2, "superseded", "Upgrade complete"),
            tuple(3, "deployed", "Rollback to 1"));
    assertThat(store.deployed("rb", "web")).map(ReleaseRecord::version).hasValue(3);
    assertThat(store.latest("rb", "web"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.chartName()).isEqualTo("fixture-app");
              assertThat(r.chartVersion()).isEqualTo("0.1.0");
              assertThat(r.appVersion()).isEqualTo("1.0.0");
              assertThat(r.lastDeployed()).isPresent();
              assertThat(r.manifest()).contains("containerPort: 8080");
            });

    // (c) Helm reads the result as its own
    assertThat(history("rb", "web"))
        .extracting(
            ReleaseHistory::getRevision, ReleaseHistory::getStatus, ReleaseHistory::getDescription)
        .containsExactly(
            tuple(1, "superseded", "Install complete"),
            tuple(2, "superseded", "Upgrade complete"),
            tuple(3, "deployed", "Rollback to 1"));
    Release status =
        Helm.status("web").withNamespace("rb").withKubeConfig(kube.kubeconfigPath()).call();
    assertThat(status.getStatus()).isEqualTo("deployed");
    assertThat(status.getRevision()).isEqualTo("3");
    Release fourth = upgrade("rb", "web", SECOND);
    assertThat(fourth.getRevision()).isEqualTo("4");
    assertThat(fourth.getStatus()).isEqualTo("deployed");
    assertThat(configMap("rb", "web-extra")).isNotNull();
    assertThat(configMap("rb", "web").getData()).containsEntry("message", "second");
    assertThat(history("rb", "web"))
        .extracting(ReleaseHistory::getRevision, ReleaseHistory::getStatus)
        .containsExactly(
            tuple(1, "superseded"),
            tuple(2, "superseded"),
            tuple(3, "superseded"),
            tuple(4, "deployed"));
  }

  @Test
  @Timeout(120)
  void rollsBackToAnExplicitRevision() throws IOException {
    kube.createNamespace("explicit");
    install("explicit", "api", FIRST);
    upgrade("explicit", "api", SECOND);
    upgrade("explicit", "api", SECOND.replace("message: second", "message: third"));

    assertThat(rollback.rollback("explicit", "api", 1).description()).isEqualTo("Rollback to 1");
    assertThat(configMap("explicit", "api").getData()).containsEntry("message", "first");
    assertThat(configMap("explicit", "api-extra")).isNull();

    // Without a revision: the one before the newest, here revision 3.
    ReleaseRecord again = rollback.rollback("explicit", "api", 0);
    assertThat(again.version()).isEqualTo(5);
    assertThat(again.description()).isEqualTo("Rollback to 3");
    assertThat(configMap("explicit", "api").getData()).containsEntry("message", "third");
    assertThat(configMap("explicit", "api-extra").getData())
        .containsEntry("note", "only in the second");
    assertThat(history("explicit", "api"))
        .extracting(ReleaseHistory::getStatus)
        .containsExactly("superseded", "superseded", "superseded", "superseded", "deployed");

    assertThatThrownBy(() -> rollback.rollback("explicit", "api", 9))
        .isInstanceOf(ReleaseStateException.class)
        .hasMessage("release explicit/api has no revision 9");
    assertThatThrownBy(() -> rollback.rollback("explicit", "nothing", 0))
        .isInstanceOf(ReleaseStateException.class)
        .hasMessage("release explicit/nothing not found");
    assertThat(store.history("explicit", "api")).hasSize(5);
  }

  @Test
  @Timeout(120)
  void aRollbackWhoseApplyFailsLeavesAFailedRevisionWithTheReason() throws IOException {
    kube.createNamespace("clash");
    install("clash", "app", SECOND);
    upgrade("clash", "app", FIRST); // Helm deletes app-extra
    assertThat(configMap("clash", "app-extra")).isNull();
    // Meanwhile another release took the name.
    client
        .configMaps()
        .inNamespace("clash")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("app-extra")
                .addToAnnotations("meta.helm.sh/release-name", "other")
                .addToAnnotations("meta.helm.sh/release-namespace", "clash")
                .endMetadata()
                .addToData("owner", "other")
                .build())
        .create();

    assertThatThrownBy(() -> rollback.rollback("clash", "app", 0))
        .isInstanceOf(RollbackFailedException.class)
        .satisfies(
            e -> {
              ReleaseRecord failed = ((RollbackFailedException) e).record();
              assertThat(failed.version()).isEqualTo(3);
              assertThat(failed.status()).isEqualTo("failed");
            })
        .hasMessage(
            "Rollback \"app\" failed: ConfigMap clash/app-extra exists and belongs to release"
                + " clash/other, not to clash/app");

    assertThat(configMap("clash", "app-extra").getData()).containsEntry("owner", "other");
    assertThat(HelmReleaseRecords.secrets(client, "clash", "app"))
        .extracting(s -> s.getMetadata().getLabels().get("status"))
        .containsExactly("superseded", "superseded", "failed");
    assertThat(history("clash", "app"))
        .extracting(ReleaseHistory::getRevision, ReleaseHistory::getStatus)
        .containsExactly(tuple(1, "superseded"), tuple(2, "superseded"), tuple(3, "failed"));
    assertThat(history("clash", "app").get(2).getDescription())
        .startsWith("Rollback \"app\" failed: ConfigMap clash/app-extra exists");
  }

  @Test
  @Timeout(120)
  void aRollbackDoesNotTakeOverAnObjectNoReleaseOwns() throws IOException {
    kube.createNamespace("unowned");
    install("unowned", "app", SECOND);
    upgrade("unowned", "app", FIRST);
    client
        .configMaps()
        .inNamespace("unowned")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("app-extra")
                .endMetadata()
                .addToData("owner", "a person")
                .build())
        .create();

    assertThatThrownBy(() -> rollback.rollback("unowned", "app", 1))
        .isInstanceOf(RollbackFailedException.class)
        .hasMessageStartingWith(
            "Rollback \"app\" failed: ConfigMap unowned/app-extra exists and belongs to no Helm"
                + " release");
    assertThat(configMap("unowned", "app-extra").getData()).containsEntry("owner", "a person");
    assertThat(store.latest("unowned", "app")).map(ReleaseRecord::status).hasValue("failed");
  }

  @Test
  @Timeout(120)
  void aPendingUpgradeIsResolvedByRollingBackToTheDeployedRevision() throws IOException {
    kube.createNamespace("stuck");
    install("stuck", "svc", FIRST);
    upgrade("stuck", "svc", SECOND);
    // As a killed `helm upgrade` leaves it: the new revision applied but still pending.
    rewriteStatus("stuck", "svc", 1, "deployed");
    rewriteStatus("stuck", "svc", 2, "pending-upgrade");
    assertThat(store.latest("stuck", "svc")).map(ReleaseRecord::isPending).hasValue(true);

    Optional<ReleaseRecord> resolved = rollback.resolvePendingByRollback("stuck", "svc");

    assertThat(resolved).map(ReleaseRecord::version).hasValue(3);
    assertThat(configMap("stuck", "svc").getData()).containsEntry("message", "first");
    assertThat(configMap("stuck", "svc-extra")).isNull();
    assertThat(store.history("stuck", "svc"))
        .extracting(ReleaseRecord::version, ReleaseRecord::status, ReleaseRecord::description)
        .containsExactly(
            tuple(1, "superseded", "Install complete"),
            tuple(2, "failed", "Interrupted while pending-upgrade; deployer rolls back to 1"),
            tuple(3, "deployed", "Rollback to 1"));
    assertThat(upgrade("stuck", "svc", SECOND).getRevision()).isEqualTo("4");

    assertThatThrownBy(() -> rollback.resolvePendingByRollback("stuck", "svc"))
        .isInstanceOf(ReleaseStateException.class)
        .hasMessage("release stuck/svc is not pending: its revision 4 is deployed");
  }

  @Test
  @Timeout(120)
  void aPendingInstallWithNothingDeployedIsUninstalled() throws IOException {
    kube.createNamespace("first-try");
    install("first-try", "new", SECOND);
    rewriteStatus("first-try", "new", 1, "pending-install");

    assertThat(rollback.resolvePendingByRollback("first-try", "new")).isEmpty();

    assertThat(configMap("first-try", "new")).isNull();
    assertThat(configMap("first-try", "new-extra")).isNull();
    assertThat(client.apps().deployments().inNamespace("first-try").withName("new").get()).isNull();
    assertThat(store.history("first-try", "new")).isEmpty();
    assertThat(install("first-try", "new", FIRST).getRevision()).isEqualTo("1");
  }

  @Test
  @Timeout(120)
  void aPendingRevisionMarkedFailedLetsHelmUpgradeAgain() throws IOException {
    kube.createNamespace("marked");
    install("marked", "job", FIRST);
    rewriteStatus("marked", "job", 1, "pending-install");
    assertThatThrownBy(() -> upgrade("marked", "job", SECOND))
        .hasMessageContaining("another operation (install/upgrade/rollback) is in progress");

    ReleaseRecord failed =
        rollback.markPendingFailed("marked", "job", "Interrupted; marked failed by deployer");

    assertThat(failed.status()).isEqualTo("failed");
    assertThat(history("marked", "job"))
        .extracting(ReleaseHistory::getStatus, ReleaseHistory::getDescription)
        .containsExactly(tuple("failed", "Interrupted; marked failed by deployer"));
    assertThat(upgrade("marked", "job", SECOND).getStatus()).isEqualTo("deployed");
  }

  @Test
  @Timeout(120)
  void pruningKeepsTheNewestRecordsTheLatestAndTheDeployedOne() throws IOException {
    kube.createNamespace("pruned");
    install("pruned", "db", FIRST);
    upgrade("pruned", "db", SECOND);
    upgrade("pruned", "db", FIRST);
    upgrade("pruned", "db", SECOND);

    assertThat(store.prune("pruned", "db", 0)).isEmpty();
    assertThat(store.prune("pruned", "db", 2)).containsExactly(1, 2);
    assertThat(history("pruned", "db"))
        .extracting(ReleaseHistory::getRevision, ReleaseHistory::getStatus)
        .containsExactly(tuple(3, "superseded"), tuple(4, "deployed"));

    // A failed newest revision with an older deployed one: neither is ever pruned.
    rewriteStatus("pruned", "db", 3, "deployed");
    rewriteStatus("pruned", "db", 4, "failed");
    assertThat(store.prune("pruned", "db", 1)).isEmpty();
    assertThat(store.history("pruned", "db"))
        .extracting(ReleaseRecord::version)
        .containsExactly(3, 4);
    assertThatThrownBy(() -> store.prune("pruned", "db", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Timeout(120)
  void objectsMarkedToKeepAreNotDeleted() throws IOException {
    kube.createNamespace("kept");
    install("kept", "cache", FIRST);
    upgrade("kept", "cache", SECOND + "keepExtra: true\n");

    rollback.rollback("kept", "cache", 0);

    assertThat(configMap("kept", "cache").getData()).containsEntry("message", "first");
    assertThat(configMap("kept", "cache-extra")).isNotNull();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private Release install(String namespace, String name, String values) throws IOException {
    return new Helm(chart)
        .install()
        .withName(name)
        .withNamespace(namespace)
        .withKubeConfig(kube.kubeconfigPath())
        .withValuesFile(values(values))
        .disableOpenApiValidation()
        .call();
  }

  private Release upgrade(String namespace, String name, String values) throws IOException {
    return new Helm(chart)
        .upgrade()
        .withName(name)
        .withNamespace(namespace)
        .withKubeConfig(kube.kubeconfigPath())
        .withValuesFile(values(values))
        .disableOpenApiValidation()
        .call();
  }

  private List<ReleaseHistory> history(String namespace, String name) {
    return Helm.history(name).withNamespace(namespace).withKubeConfig(kube.kubeconfigPath()).call();
  }

  private ConfigMap configMap(String namespace, String name) {
    return client.configMaps().inNamespace(namespace).withName(name).get();
  }

  // Rewrites a record's status in its JSON and its label, as a Helm run would have left it.
  private void rewriteStatus(String namespace, String release, int version, String status) {
    Secret secret =
        client
            .secrets()
            .inNamespace(namespace)
            .withName(ReleaseRecords.secretName(release, version))
            .get();
    ObjectNode json = ReleaseRecords.decode(secret.getData().get("release"));
    ((ObjectNode) json.path("info")).put("status", status);
    secret.getData().put("release", ReleaseRecords.encode(json));
    secret.getMetadata().getLabels().put("status", status);
    client.secrets().inNamespace(namespace).resource(secret).update();
  }

  private Path values(String yaml) throws IOException {
    Path file = Files.createTempFile(temp, "values", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }
}
