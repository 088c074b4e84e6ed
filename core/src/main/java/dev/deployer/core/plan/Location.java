package dev.deployer.core.plan;

import java.nio.file.Path;

/**
 * Where something was written: a file and a 1-based line and column. Printed as {@code
 * file:line:column}, the form editors and terminals turn into links.
 */
public record Location(Path file, int line, int column) {

  /** A location for problems that concern a whole file rather than one place in it. */
  public static Location of(Path file) {
    return new Location(file, 0, 0);
  }

  @Override
  public String toString() {
    return line > 0 ? file + ":" + line + ":" + column : String.valueOf(file);
  }
}
