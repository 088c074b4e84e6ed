package dev.deployer.core.plan;

/**
 * One thing wrong with a plan, at a place a user can find: the file, line and column, and the field
 * as a path such as {@code releases[2].depends_on[0]}.
 */
public record Problem(Location location, String field, String message) {

  @Override
  public String toString() {
    return location + ": " + (field.isEmpty() ? "" : field + ": ") + message;
  }
}
