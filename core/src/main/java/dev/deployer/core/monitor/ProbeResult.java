package dev.deployer.core.monitor;

/**
 * What one probe found.
 *
 * @param detail what a user needs to see in the report: the value, the count, the status code
 */
public record ProbeResult(boolean success, String detail) {
  public static ProbeResult success(String detail) {
    return new ProbeResult(true, detail);
  }

  public static ProbeResult failure(String detail) {
    return new ProbeResult(false, detail);
  }
}
