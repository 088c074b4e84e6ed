package dev.deployer.core.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import com.marcnuri.helm.TemplateCommand;
import com.marcnuri.helm.UpgradeCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helm engine on helm-java, which embeds the real Helm 3 library (Go, loaded through JNA): no
 * {@code helm} binary is needed.
 *
 * <p>Rendering matches {@code helm template} without flags: hooks included after the other
 * documents (see {@link HookMasking}), CRDs of {@code crds/} directories not included (Helm applies
 * them only on first install, never on upgrade), NOTES.txt not included.
 *
 * <p>Thread safety: this class holds no state, and the native library builds a fresh Helm action
 * configuration per call. Measured with helm-java 0.0.21 (Helm 3.21): four threads rendering
 * different charts at once each get their own, correct manifest ({@code
 * HelmJavaEngineTest#rendersDifferentChartsFromFourThreadsAtOnce}).
 */
public final class HelmJavaEngine implements HelmEngine {

  private static final Logger LOG = LoggerFactory.getLogger(HelmJavaEngine.class);
  private static final String DEBUG_HINT = "Use --debug flag to render out invalid YAML";

  @Override
  public String render(RenderRequest request) {
    Path chart = request.chart();
    if (!Files.exists(chart)) {
      throw failure(request, "chart not found: " + chart, null);
    }
    for (Path valuesFile : request.valuesFiles()) {
      // helm-java joins the values files with commas before handing them to Go.
      if (valuesFile.toString().contains(",")) {
        throw failure(request, "values file path must not contain a comma: " + valuesFile, null);
      }
    }
    Path work = null;
    try {
      if (!HookMasking.needed(chart, request.valuesFiles())) {
        return template(request, chart, request.valuesFiles());
      }
      work = Files.createTempDirectory("deployer-render-");
      Path masked = HookMasking.maskedCopy(chart, work.resolve("chart"));
      List<Path> valuesFiles =
          HookMasking.maskedValues(request.valuesFiles(), work.resolve("values"));
      LOG.debug("rendering release {} from {} (copy in {})", request.releaseName(), chart, masked);
      return HookMasking.unmask(template(request, masked, valuesFiles));
    } catch (IllegalStateException e) {
      String message = helmMessage(e);
      // The scratch copy's path means nothing to the user.
      if (work != null) {
        message = message.replace(work.toString(), "<render>");
      }
      throw failure(request, message, e);
    } catch (IOException e) {
      throw failure(request, "cannot read chart: " + e.getMessage(), e);
    } finally {
      deleteQuietly(work);
    }
  }

  private static String template(RenderRequest request, Path chart, List<Path> valuesFiles) {
    TemplateCommand template =
        new Helm(chart)
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withKubeVersion(request.kubeVersion());
    valuesFiles.forEach(template::withValuesFile);
    String manifest = template.call();
    // helm-java answers null for a chart without templates.
    return manifest == null ? "" : manifest;
  }

  /**
   * helm-java 0.0.21 drops kubeconfig contents when {@code upgrade --install} installs (the release
   * then talks to localhost:8080); a file works on every path, so each call gets one, readable by
   * the owner only and deleted afterwards.
   */
  private static Path kubeconfigFile(String contents) {
    try {
      Path file =
          Files.createTempFile(
              "deployer-kubeconfig-",
              ".yaml",
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, contents);
      return file;
    } catch (IOException e) {
      throw new HelmOperationException("cannot write a kubeconfig for Helm: " + e.getMessage(), e);
    }
  }

  @Override
  public DeployedRelease upgrade(UpgradeRequest request) {
    Path kubeconfig = kubeconfigFile(request.kubeconfig());
    try {
      return upgrade(request, kubeconfig);
    } finally {
      deleteQuietly(kubeconfig);
    }
  }

  private DeployedRelease upgrade(UpgradeRequest request, Path kubeconfig) {
    UpgradeCommand upgrade =
        new Helm(request.chart())
            .upgrade()
            .install()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withKubeConfig(kubeconfig)
            .withTimeout(timeoutSeconds(request.timeout()));
    request.valuesFiles().forEach(upgrade::withValuesFile);
    if (request.waitReady()) {
      upgrade.waitReady();
    }
    if (request.atomic()) {
      upgrade.atomic();
    }
    if (request.cleanupOnFail()) {
      upgrade.cleanupOnFail();
    }
    if (request.force()) {
      upgrade.force();
    }
    if (request.resetValues()) {
      upgrade.resetValues();
    }
    if (request.reuseValues()) {
      upgrade.reuseValues();
    }
    if (request.skipCrds()) {
      upgrade.skipCrds();
    }
    if (request.disableOpenApiValidation()) {
      upgrade.disableOpenApiValidation();
    }
    if (request.description() != null && !request.description().isBlank()) {
      upgrade.withDescription(request.description());
    }
    try {
      Release r = upgrade.call();
      return new DeployedRelease(
          r.getName(),
          r.getNamespace(),
          Integer.parseInt(r.getRevision().trim()),
          r.getStatus(),
          r.getChart(),
          r.getAppVersion());
    } catch (IllegalStateException e) {
      throw new HelmOperationException(helmMessage(e), e);
    }
  }

  @Override
  public void uninstall(
      String releaseName, String namespace, String kubeconfig, java.time.Duration timeout) {
    Path file = kubeconfigFile(kubeconfig);
    try {
      Helm.uninstall(releaseName)
          .withNamespace(namespace)
          .withKubeConfig(file)
          .ignoreNotFound()
          .call();
    } catch (IllegalStateException e) {
      throw new HelmOperationException(helmMessage(e), e);
    } finally {
      deleteQuietly(file);
    }
  }

  private static int timeoutSeconds(java.time.Duration timeout) {
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
  }

  /** Helm's message, without its hint about a CLI flag deployer does not have. */
  private static String helmMessage(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replace(DEBUG_HINT, "").strip();
  }

  private static RenderException failure(RenderRequest request, String message, Throwable cause) {
    return new RenderException(request.releaseName(), request.chart(), message, cause);
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.debug("cannot delete render scratch directory {}", dir, e);
    }
  }
}
