package dev.deployer.core.helm;

import dev.deployer.core.error.DeployerException;
import java.nio.file.Path;

/** A chart could not be loaded or rendered. The message is Helm's own, prefixed by the release. */
public class RenderException extends DeployerException {

  private static final long serialVersionUID = 1L;

  private final String releaseName;
  private final Path chart;
  private final String helmMessage;

  public RenderException(String releaseName, Path chart, String helmMessage, Throwable cause) {
    super(
        Kind.FAILED,
        "release " + releaseName + ": cannot render chart " + chart + ": " + helmMessage,
        cause);
    this.releaseName = releaseName;
    this.chart = chart;
    this.helmMessage = helmMessage;
  }

  public String releaseName() {
    return releaseName;
  }

  public Path chart() {
    return chart;
  }

  /** Helm's message, with the template location when Helm gives one. */
  public String helmMessage() {
    return helmMessage;
  }
}
