package dev.deployer.core.helm;

import java.util.Objects;

/**
 * A release in a cluster.
 *
 * @param kubeconfig the kubeconfig contents, its current context the release's cluster; handed to
 *     the engine in memory, never written to a file
 */
public record ReleaseRef(String kubeconfig, String namespace, String name) {
  public ReleaseRef {
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return name + "@" + namespace; // never the kubeconfig: it holds credentials
  }
}
