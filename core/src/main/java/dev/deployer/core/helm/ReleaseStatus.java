package dev.deployer.core.helm;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A release revision's status, as Helm records it; {@link #toString()} is Helm's word. */
public enum ReleaseStatus {
  @JsonProperty("deployed")
  DEPLOYED("deployed"),
  @JsonProperty("superseded")
  SUPERSEDED("superseded"),
  @JsonProperty("failed")
  FAILED("failed"),
  @JsonProperty("pending-install")
  PENDING_INSTALL("pending-install"),
  @JsonProperty("pending-upgrade")
  PENDING_UPGRADE("pending-upgrade"),
  @JsonProperty("pending-rollback")
  PENDING_ROLLBACK("pending-rollback"),
  @JsonProperty("uninstalling")
  UNINSTALLING("uninstalling"),
  @JsonProperty("uninstalled")
  UNINSTALLED("uninstalled"),
  /** Helm's own "unknown", and any word a newer Helm may write that this deployer does not know. */
  @JsonProperty("unknown")
  @JsonEnumDefaultValue
  UNKNOWN("unknown");

  private final String helmName;

  ReleaseStatus(String helmName) {
    this.helmName = helmName;
  }

  /** Whether an install, upgrade or rollback of this revision is under way, or was cut short. */
  public boolean isPendingOperation() {
    return this == PENDING_INSTALL || this == PENDING_UPGRADE || this == PENDING_ROLLBACK;
  }

  @Override
  public String toString() {
    return helmName;
  }
}
