package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Commands that read a cluster whose API server does not answer: one line and their own code. */
@Timeout(120)
class UnreachableClusterIT {
  @TempDir Path dir;

  @Test
  void statusListAndHistoryOfAnUnreachableClusterSayWhyInOneLine() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free now, and nothing listens there once closed
    }
    PlanFiles files = new PlanFiles(dir);
    files.chart("ok");
    Path plan =
        files.write("deployer.yml", "releases:\n  - {name: api, namespace: shop, chart: ./ok}\n");
    Path kubeconfig =
        files.write(
            "kubeconfig",
            """
            apiVersion: v1
            kind: Config
            clusters:
              - name: gone
                cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
            users:
              - name: u
                user: {token: t}
            contexts:
              - name: gone
                context: {cluster: gone, user: u}
            current-context: gone
            """
                .formatted(closed));
    Map<String, String> env =
        Map.of("PATH", System.getenv("PATH"), "KUBECONFIG", kubeconfig.toString());
    for (String command : java.util.List.of("status", "list", "history api")) {
      java.util.List<String> args =
          new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
      args.addAll(java.util.List.of("-f", plan.toString()));
      Cli run = Cli.run(env, args.toArray(String[]::new));
      assertThat(run.exitCode()).as(command + ": " + run.err()).isEqualTo(ExitCodes.UNREACHABLE);
      assertThat(run.err().lines()).as(command).hasSize(1);
      assertThat(run.err())
          .as(command)
          .startsWith("error: ")
          .contains("127.0.0.1:" + closed, "connection refused")
          .doesNotContain("internal error", "Exception", "\tat ");
    }
  }
}
