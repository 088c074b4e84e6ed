package dev.deployer.core.helm;

/**
 * Everything deployer asks of Helm. One implementation embeds the real Helm library ({@link
 * HelmJavaEngine}); others (a simulated engine for tests and dry runs) implement the same contract.
 * Implementations must be safe to call from several threads at once, because releases are rendered
 * and deployed in parallel.
 */
public interface HelmEngine {

  /**
   * Renders a chart as {@code helm template} does, without contacting any cluster.
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
   * @throws HelmOperationException with Helm's message when the operation fails
   */
  DeployedRelease upgrade(UpgradeRequest request);

  /**
   * Uninstalls a release and its history.
   *
   * @throws HelmOperationException with Helm's message when it fails
   */
  void uninstall(
      String releaseName, String namespace, String kubeconfig, java.time.Duration timeout);
}
