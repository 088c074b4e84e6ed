package dev.deployer.core.helm;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything deployer asks of Helm. The implementation is deployer's own engine on Helm v4's SDK
 * ({@link NativeHelmEngine}); tests may use fakes. Implementations are safe to call from several
 * threads at once, because releases are rendered and deployed in parallel.
 */
public interface HelmEngine {

  /**
   * Renders a chart as {@code helm template} does: Helm contacts no cluster, {@code lookup} returns
   * nothing, hooks follow the other documents, CRDs of {@code crds/} are left out.
   *
   * @return the rendered manifest: YAML documents separated by {@code ---}, each preceded by a
   *     {@code # Source:} comment naming its template
   * @throws RenderException when Helm cannot load or render the chart; its message is Helm's, with
   *     the template location ({@code templates/x.yaml:12:5}) when Helm gives one
   */
  String render(RenderRequest request);

  /**
   * Installs the release, or upgrades it when it exists ({@code helm upgrade --install}).
   *
   * @return the revision Helm recorded
   * @throws HelmOperationException with Helm's message when the operation fails or is cancelled
   */
  ReleaseRevision upgrade(UpgradeRequest request, Operation operation);

  /**
   * What {@link #upgrade} would record, found with a server dry run: rendered as the upgrade
   * renders (with {@code lookup} answered by the cluster), nothing written. Also gives the
   * release's newest and newest deployed revisions.
   *
   * @throws HelmOperationException with Helm's message when the dry run fails
   */
  UpgradePlan planUpgrade(UpgradeRequest request, Operation operation);

  /**
   * Rolls a release back with Helm's own rollback.
   *
   * @return the new revision
   * @throws HelmOperationException with Helm's message when it fails
   */
  ReleaseRevision rollback(RollbackRequest request, Operation operation);

  /**
   * Uninstalls a release with Helm's own uninstall.
   *
   * @return false when the release was not installed
   * @throws HelmOperationException with Helm's message when it fails
   */
  boolean uninstall(UninstallRequest request, Operation operation);

  /**
   * Records a revision that a run which died left {@code pending-*} as {@code failed}, in Helm's
   * storage; a revision that is not pending is left as it is.
   *
   * @return the revision as it is now
   */
  ReleaseRevision markFailed(ReleaseRef release, int revision, String description);

  /** The release's revisions, oldest first; empty when it was never installed. */
  List<ReleaseRevision> history(ReleaseRef release);

  /**
   * Fetches a local chart's dependencies into its {@code charts/} directory: from {@code
   * Chart.lock} ({@code helm dependency build}), or resolved anew when {@code update}.
   */
  void buildDependencies(Path chart, boolean update);

  /** Packs a chart directory into {@code destination} as {@code helm package} does. */
  Path packageChart(Path chart, Path destination);

  /** Helm's chart lint: each finding with its severity and file. */
  List<LintFinding> lint(RenderRequest request);

  /** The versions of the engine and of the Helm SDK it embeds. */
  EngineVersion version();

  /** A finding of Helm's lint. */
  record LintFinding(Severity severity, String path, String message) {}

  /** How much a lint finding matters; {@link #toString()} is the word a report shows. */
  enum Severity {
    @com.fasterxml.jackson.annotation.JsonProperty("error")
    ERROR,
    @com.fasterxml.jackson.annotation.JsonProperty("warning")
    WARNING,
    /** Also any severity a newer engine may send. */
    @com.fasterxml.jackson.annotation.JsonProperty("info")
    @com.fasterxml.jackson.annotation.JsonEnumDefaultValue
    INFO;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** The Helm SDK version (as {@code v4.3.2}) and Go's. */
  record EngineVersion(String helm, String go, String kubeClient) {}
}
