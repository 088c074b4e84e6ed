package dev.deployer.core.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Helm engine on helm-java, which embeds the real Helm 3 library (Go, loaded through JNA): no
 * {@code helm} binary is needed.
 *
 * <p>Thread safety: rendering holds no Java state, and the native library keeps no shared mutable
 * state for {@code template} (every call builds its own Helm action configuration). Measured with
 * helm-java 0.0.21 (Helm 3.21): four threads rendering different charts at once each get their own
 * manifest, see {@code HelmJavaEngineTest#rendersDifferentChartsFromFourThreadsAtOnce}.
 */
public final class HelmJavaEngine implements HelmEngine {

  private static final Logger LOG = LoggerFactory.getLogger(HelmJavaEngine.class);

  private static final String DEBUG_HINT = "Use --debug flag to render out invalid YAML";

  @Override
  public String render(RenderRequest request) {
    Path chart = request.chart();
    if (!Files.exists(chart)) {
      throw new RenderException(request.releaseName(), chart, "chart not found: " + chart, null);
    }
    TemplateCommand template =
        new Helm(chart)
            .template()
            .withName(request.releaseName())
            .withNamespace(request.namespace())
            .withKubeVersion(request.kubeVersion());
    for (Path valuesFile : request.valuesFiles()) {
      // helm-java joins the values files with commas before handing them to Go.
      if (valuesFile.toString().contains(",")) {
        throw new RenderException(
            request.releaseName(),
            chart,
            "values file path must not contain a comma: " + valuesFile,
            null);
      }
      template.withValuesFile(valuesFile);
    }
    LOG.debug("rendering release {} from {}", request.releaseName(), chart);
    try {
      return template.call();
    } catch (IllegalStateException e) {
      throw new RenderException(request.releaseName(), chart, helmMessage(e), e);
    }
  }

  // Helm's hint names a CLI flag deployer does not have.
  private static String helmMessage(IllegalStateException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replace(DEBUG_HINT, "").strip();
  }
}
