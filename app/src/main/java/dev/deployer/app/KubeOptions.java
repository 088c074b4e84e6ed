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

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "The kubeconfig to use instead of KUBECONFIG (or ~/.kube/config).")
  java.nio.file.Path kubeconfig;

  /** {@code environment} with {@code KUBECONFIG} set to {@code --kubeconfig} when it is given. */
  java.util.Map<String, String> environment(java.util.Map<String, String> environment) {
    if (kubeconfig == null) {
      return environment;
    }
    java.util.Map<String, String> out = new java.util.TreeMap<>(environment);
    out.put("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    return out;
  }

  Optional<String> context() {
    return Optional.ofNullable(kubeContext);
  }
}
