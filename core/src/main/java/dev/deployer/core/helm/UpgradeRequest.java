package dev.deployer.core.helm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An install-or-upgrade of one release, as {@code helm upgrade --install} takes it.
 *
 * @param kubeconfig the kubeconfig contents, its current context the release's cluster
 * @param chart a chart directory or packaged {@code .tgz}
 * @param valuesFiles values files in merge order
 */
public record UpgradeRequest(
    String releaseName,
    String namespace,
    Path chart,
    List<Path> valuesFiles,
    String kubeconfig,
    boolean waitReady,
    Duration timeout,
    boolean atomic,
    boolean cleanupOnFail,
    boolean force,
    boolean resetValues,
    boolean reuseValues,
    boolean skipCrds,
    boolean disableOpenApiValidation,
    String description) {

  public UpgradeRequest {
    Objects.requireNonNull(releaseName, "releaseName");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(chart, "chart");
    valuesFiles = List.copyOf(valuesFiles);
    Objects.requireNonNull(kubeconfig, "kubeconfig");
    Objects.requireNonNull(timeout, "timeout");
  }
}
