package dev.deployer.core.chart;

/** The repository or registry has no chart of that name. */
public class ChartNotFoundException extends ChartFetchException {

  private static final long serialVersionUID = 1L;

  public ChartNotFoundException(String message) {
    super(message);
  }
}
