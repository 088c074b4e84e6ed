package dev.deployer.core.plandir;

import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How a build puts its new plan directory in the place of the old one, so that a build killed at
 * any moment leaves a complete plan directory, or one the next build restores before it does
 * anything else. Beside the plan directory {@code X} it uses hidden siblings:
 *
 * <pre>
 * .X.lock              exists, locked, while a build writes X: one build at a time
 * .X.building-RANDOM   a new plan directory being written; never used, deleted by the next build
 * .X.replaced          the previous X while the new one is moved in
 * </pre>
 *
 * A swap is two renames and a delete: X to {@code .X.replaced}, the staging directory to X, then
 * {@code .X.replaced} is deleted, its planfile first. {@link #open} finds every state in between:
 * {@code .X.replaced} with a planfile and no X is the old directory, renamed back; a {@code
 * .X.replaced} beside an X, or without a planfile, is deleted, as is every staging directory (they
 * hold rendered values and manifests, secrets included).
 */
public final class PlanDirectorySwap implements AutoCloseable {
  /** The steps of {@link #replace}, reported after each one is done (for tests). */
  public enum Step {
    OLD_SET_ASIDE,
    NEW_IN_PLACE,
    OLD_UNMARKED,
    OLD_DELETED
  }

  private final Path target;
  private final Consumer<Step> afterStep;
  private final Path lockFile;
  private final FileChannel lockChannel;

  private PlanDirectorySwap(
      Path target, Consumer<Step> afterStep, Path lockFile, FileChannel lockChannel) {
    this.target = target;
    this.afterStep = afterStep;
    this.lockFile = lockFile;
    this.lockChannel = lockChannel;
  }

  /**
   * Takes the lock of the plan directory and puts right what an interrupted build left.
   *
   * @throws PlanException when another build holds the lock
   */
  public static PlanDirectorySwap open(Path target) {
    return open(target, step -> {});
  }

  public static PlanDirectorySwap open(Path target, Consumer<Step> afterStep) {
    Path lockFile = sibling(target, ".lock");
    try {
      Files.createDirectories(target.getParent());
      // A lock on a file that a finishing build has just deleted protects nothing: after locking,
      // the file at the path must be the one locked (it holds the token written through the lock).
      for (int attempt = 0; attempt < 5; attempt++) {
        FileChannel channel =
            FileChannel.open(
                lockFile,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null; // held by another build in this process
        }
        if (lock == null) {
          closeQuietly(channel);
          throw new PlanException(
              new Problem(
                  Location.of(target),
                  "--plandir",
                  "another deployer build is writing this plan directory now (it holds "
                      + lockFile.getFileName()
                      + "); wait for it to end"));
        }
        String token = ProcessHandle.current().pid() + "-" + System.nanoTime() + "\n";
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)), 0);
        if (token.equals(readQuietly(lockFile))) {
          PlanDirectorySwap swap = new PlanDirectorySwap(target, afterStep, lockFile, channel);
          swap.recover();
          return swap;
        }
        closeQuietly(channel);
      }
      throw new IllegalStateException("cannot take the lock " + lockFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new, empty staging directory beside the plan directory. */
  public Path createStaging() {
    try {
      return Files.createTempDirectory(target.getParent(), stagingPrefix(target));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Puts the complete directory {@code staging} in the place of the plan directory. */
  public void replace(Path staging) {
    try {
      Path replaced = sibling(target, ".replaced");
      boolean hadOld = Files.exists(target);
      if (hadOld) {
        Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
        afterStep.accept(Step.OLD_SET_ASIDE);
      }
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      afterStep.accept(Step.NEW_IN_PLACE);
      if (hadOld) {
        // Without its planfile it is no longer a plan directory: the next build never restores a
        // half-deleted one.
        Files.deleteIfExists(replaced.resolve(PlanDirectory.PLANFILE));
        afterStep.accept(Step.OLD_UNMARKED);
        deleteTree(replaced);
        afterStep.accept(Step.OLD_DELETED);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Removes the lock file, then releases the lock (a build that locked it meanwhile retries). */
  @Override
  public void close() {
    try {
      Files.deleteIfExists(lockFile);
    } catch (IOException e) {
      // a lock file left behind is taken by the next build
    }
    closeQuietly(lockChannel);
  }

  private void recover() throws IOException {
    List<Path> setAside = new ArrayList<>();
    List<Path> staging = new ArrayList<>();
    String name = target.getFileName().toString();
    try (Stream<Path> siblings = Files.list(target.getParent())) {
      for (Path p : (Iterable<Path>) siblings::iterator) {
        String n = p.getFileName().toString();
        if (!Files.isDirectory(p)) {
          continue;
        }
        if (n.equals("." + name + ".replaced") || n.startsWith("." + name + ".old-")) {
          setAside.add(p); // .old-N: what builds before this scheme set aside
        } else if (n.startsWith(stagingPrefix(target))) {
          staging.add(p);
        }
      }
    }
    setAside.sort(Comparator.comparing(Path::toString));
    for (Path old : setAside) {
      if (!Files.exists(target) && PlanDirectory.exists(old)) {
        Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      } else {
        deleteTree(old);
      }
    }
    for (Path s : staging) {
      deleteTree(s);
    }
  }

  private static String stagingPrefix(Path target) {
    return "." + target.getFileName() + ".building-";
  }

  private static Path sibling(Path target, String suffix) {
    return target.resolveSibling("." + target.getFileName() + suffix);
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return ""; // deleted by the build that held it
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  public static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
