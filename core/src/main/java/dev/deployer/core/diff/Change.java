package dev.deployer.core.diff;

import java.util.Locale;

/** What happened to a release or a resource between two plans. */
public enum Change {
  ADDED,
  CHANGED,
  REMOVED,
  UNCHANGED;

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }
}
