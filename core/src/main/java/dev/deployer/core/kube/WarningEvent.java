package dev.deployer.core.kube;

import java.time.Instant;
import java.util.Optional;

/**
 * A Warning event about an object of a release or one of its pods.
 *
 * @param kind the kind of the object it is about ({@code Pod}, {@code Deployment}, ...)
 * @param name the name of that object
 * @param count how often it happened
 * @param lastSeen when it last happened, if the event says
 */
public record WarningEvent(
    String kind,
    String name,
    String reason,
    String message,
    int count,
    Optional<Instant> lastSeen) {

  /** {@code BackOff: Back-off restarting failed container}. */
  public String describe() {
    return reason + ": " + message.strip().replaceAll("\\.$", "");
  }
}
