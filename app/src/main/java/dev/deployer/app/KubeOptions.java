package dev.deployer.app;

import java.util.Optional;
import picocli.CommandLine.Option;

/** Which cluster a command talks to. */
final class KubeOptions {
  @Option(
      names = "--kube-context",
      paramLabel = "CONTEXT",
      description =
          "Kube context for releases that set none (default: the kubeconfig's current context; KUBECONFIG is honoured).")
  String kubeContext;

  Optional<String> context() {
    return Optional.ofNullable(kubeContext);
  }
}
