package dev.deployer.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/** File-tree chores that several tests share. */
public final class TestFiles {
  private TestFiles() {}

  /**
   * Copies the tree at {@code from} (on any file system, a jar's too) to {@code to}, replacing
   * files that are there already, and returns {@code to}.
   */
  public static Path copyTree(Path from, Path to) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(from)) {
      files = walk.toList();
    }
    for (Path file : files) {
      Path target = to.resolve(from.relativize(file).toString());
      if (Files.isDirectory(file)) {
        Files.createDirectories(target);
      } else {
        Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    return to;
  }
}
