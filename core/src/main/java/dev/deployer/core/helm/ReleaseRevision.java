package dev.deployer.core.helm;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One revision of a Helm release, as Helm recorded it. What its status means to deployer (pending,
 * once deployed) is {@code deploy.RevisionPolicy}'s to say.
 *
 * @param status as Helm recorded it
 * @param description Helm's one-line log entry ({@code Install complete}, {@code Rollback to 1})
 * @param manifest the rendered manifest of this revision, hooks excluded
 * @param hooks the revision's hooks, as Helm keeps them apart from the manifest
 * @param labels the release's own labels
 */
public record ReleaseRevision(
    String name,
    String namespace,
    int revision,
    ReleaseStatus status,
    String description,
    String chartName,
    String chartVersion,
    String appVersion,
    Optional<Instant> firstDeployed,
    Optional<Instant> lastDeployed,
    String manifest,
    List<Hook> hooks,
    Map<String, String> labels) {

  public ReleaseRevision {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(status, "status");
    description = Objects.requireNonNullElse(description, "");
    chartName = Objects.requireNonNullElse(chartName, "");
    chartVersion = Objects.requireNonNullElse(chartVersion, "");
    appVersion = Objects.requireNonNullElse(appVersion, "");
    manifest = Objects.requireNonNullElse(manifest, "");
    hooks = List.copyOf(hooks);
    labels = Map.copyOf(labels);
  }

  /** A hook of a revision: its template path and its rendered manifest. */
  public record Hook(String name, String kind, String path, String manifest, List<String> events) {
    public Hook {
      events = List.copyOf(events);
    }
  }

  /** {@code name-version}, as {@code helm list} shows a chart. */
  public String chart() {
    return chartName + "-" + chartVersion;
  }

  /** The manifest with the hooks after it, as a plan directory holds a rendered release. */
  public String manifestWithHooks() {
    StringBuilder sb = new StringBuilder(manifest);
    for (Hook hook : hooks) {
      sb.append("\n---\n# Source: ").append(hook.path()).append('\n').append(hook.manifest());
    }
    return sb.toString();
  }
}
