package dev.deployer.core.kube.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real helm v3 and v4 CLIs work against the test control plane. */
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class HelmCliIT {

  @RegisterExtension static final TestCluster cluster = TestCluster.shared();

  private static Path chart;

  @BeforeAll
  static void writeChart() throws IOException {
    chart = Path.of("target", "helm-cli-it", "tiny").toAbsolutePath();
    Files.createDirectories(chart.resolve("templates"));
    Files.writeString(
        chart.resolve("Chart.yaml"),
        "apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: \"1.0\"\n");
    Files.writeString(chart.resolve("values.yaml"), "greeting: hello\nreplicas: 1\n");
    Files.writeString(
        chart.resolve("templates/configmap.yaml"),
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: ConfigMap",
            "metadata:",
            "  name: {{ .Release.Name }}-settings",
            "data:",
            "  greeting: {{ .Values.greeting | quote }}",
            ""));
    Files.writeString(
        chart.resolve("templates/deployment.yaml"),
        String.join(
            "\n",
            "apiVersion: apps/v1",
            "kind: Deployment",
            "metadata:",
            "  name: {{ .Release.Name }}",
            "spec:",
            "  replicas: {{ .Values.replicas }}",
            "  selector:",
            "    matchLabels: {app: {{ .Release.Name }}}",
            "  template:",
            "    metadata:",
            "      labels: {app: {{ .Release.Name }}}",
            "    spec:",
            "      containers:",
            "        - name: app",
            "          image: registry.example/tiny:1.0",
            ""));
  }

  /**
   * {@code helm install tiny} of the test chart into a new namespace named after {@code name},
   * waiting for it; it must work. Returns the namespace.
   */
  private static String installTiny(HelmCli helm, String name) {
    String ns = cluster.namespace(name);
    ok(
        helm.run(
            cluster.kubeconfigPath(),
            "install",
            "tiny",
            chart.toString(),
            "-n",
            ns,
            "--wait",
            "--timeout",
            "2m"));
    return ns;
  }

  private static HelmCli.Result ok(HelmCli.Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result;
  }

  @Test
  void helm4InstallsUpgradesAndRollsBack() {
    HelmCli helm = HelmCli.v4();
    String ns = installTiny(helm, "helm4");
    Path kubeconfig = cluster.kubeconfigPath();
    ok(
        helm.run(
            kubeconfig,
            "upgrade",
            "tiny",
            chart.toString(),
            "-n",
            ns,
            "--set",
            "greeting=bye",
            "--wait",
            "--timeout",
            "2m"));
    assertThat(
            cluster.client().configMaps().inNamespace(ns).withName("tiny-settings").get().getData())
        .containsEntry("greeting", "bye");

    String status = ok(helm.run(kubeconfig, "status", "tiny", "-n", ns)).stdout();
    assertThat(status).contains("STATUS: deployed").contains("REVISION: 2");

    ok(helm.run(kubeconfig, "rollback", "tiny", "1", "-n", ns, "--wait", "--timeout", "2m"));
    assertThat(
            cluster.client().configMaps().inNamespace(ns).withName("tiny-settings").get().getData())
        .containsEntry("greeting", "hello");
    String history = ok(helm.run(kubeconfig, "history", "tiny", "-n", ns)).stdout();
    assertThat(history.lines().skip(1).map(String::strip).toList())
        .hasSize(3)
        .satisfiesExactly(
            r1 ->
                assertThat(r1).startsWith("1").contains("superseded").contains("Install complete"),
            r2 ->
                assertThat(r2).startsWith("2").contains("superseded").contains("Upgrade complete"),
            r3 -> assertThat(r3).startsWith("3").contains("deployed").contains("Rollback to 1"));
  }

  @Test
  void helm3InstallsAndShowsHistory() {
    HelmCli helm = HelmCli.v3();
    String ns = installTiny(helm, "helm3");
    Path kubeconfig = cluster.kubeconfigPath();
    assertThat(
            cluster
                .client()
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName("tiny")
                .get()
                .getStatus()
                .getReadyReplicas())
        .isEqualTo(1);
    String history = ok(helm.run(kubeconfig, "history", "tiny", "-n", ns)).stdout();
    assertThat(history.lines().skip(1).toList())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.strip())
                    .startsWith("1")
                    .contains("deployed")
                    .contains("Install complete"));
  }
}
