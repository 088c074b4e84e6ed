package dev.deployer.core.helm;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Finds, caches and loads deployer's Helm engine: the Go shared library built from {@code
 * core/src/main/go} and shipped inside the jar.
 *
 * <p>A library cannot be loaded from inside a jar, so it is written once per build of it to a
 * per-user cache directory named by its SHA-256 ({@code ~/.cache/deployer/engine/<sha256>/}) and
 * loaded from there afterwards. Two processes starting at once each write a private temporary file
 * and move it into place atomically, so neither sees a half-written library. A cached file is
 * checked against its SHA-256 when it is first written and whenever its size or modification time
 * differ from the record of that check; a damaged file is replaced.
 */
final class EngineLibrary {
  static final String RESOURCE = "/dev/deployer/core/helm/native/libdeployer-engine.so";
  private static final String FILE_NAME = "libdeployer-engine.so";

  /** The C functions of the engine (see {@code boundary.go}). */
  interface Native_ extends Library {
    Pointer deployer_engine_call(String request, EventCallback events, long call);

    void deployer_engine_cancel(long call);

    void deployer_engine_free(Pointer text);
  }

  /** Receives the events of a running call, on a thread of the engine's. */
  interface EventCallback extends Callback {
    void invoke(long call, Pointer event);
  }

  private EngineLibrary() {}

  /** Loads the engine, from the cache directory the environment names. */
  static Native_ load(Map<String, String> environment) {
    Path file = locate(environment);
    return Native.load(
        file.toString(), Native_.class, Map.of(Library.OPTION_STRING_ENCODING, "UTF-8"));
  }

  /** The path of a checked copy of the engine's library, writing one when needed. */
  static Path locate(Map<String, String> environment) {
    String expected = expectedSha256();
    URL resource = EngineLibrary.class.getResource(RESOURCE);
    if (resource == null) {
      throw new EngineUnavailableException(
          "the Helm engine library is missing from deployer's classpath (" + RESOURCE + ")");
    }
    try {
      Path directory = cacheRoot(environment).resolve(expected);
      Path file = directory.resolve(FILE_NAME);
      if (isChecked(file, expected)) {
        return file;
      }
      Files.createDirectories(directory);
      Path tmp = Files.createTempFile(directory, ".engine-", ".tmp");
      try {
        try (InputStream in = resource.openStream()) {
          Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        String actual = sha256(tmp);
        if (!actual.equals(expected)) {
          throw new EngineUnavailableException(
              "the Helm engine library in deployer's jar is damaged: SHA-256 "
                  + actual
                  + ", expected "
                  + expected);
        }
        move(tmp, file);
      } finally {
        Files.deleteIfExists(tmp);
      }
      recordCheck(file);
      return file;
    } catch (IOException e) {
      throw new EngineUnavailableException("cannot cache the Helm engine library: " + e, e);
    }
  }

  /**
   * {@code DEPLOYER_CACHE_DIR}, else {@code $XDG_CACHE_HOME/deployer}, else {@code
   * ~/.cache/deployer}; then {@code engine}.
   */
  static Path cacheRoot(Map<String, String> environment) {
    String explicit = environment.get("DEPLOYER_CACHE_DIR");
    if (explicit != null && !explicit.isBlank()) {
      return Path.of(explicit).resolve("engine");
    }
    String xdg = environment.get("XDG_CACHE_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("deployer").resolve("engine");
  }

  private static String expectedSha256() {
    try (InputStream in = EngineLibrary.class.getResourceAsStream(RESOURCE + ".sha256")) {
      if (in == null) {
        throw new EngineUnavailableException(
            "the Helm engine library's checksum is missing from deployer's classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // A marker beside the file records the size and time of the file that was checked; a change of
  // either means the file was written since, and is checked again.
  private static boolean isChecked(Path file, String expected) throws IOException {
    if (!Files.isRegularFile(file)) {
      return false;
    }
    Optional<String> marker = readMarker(file);
    if (marker.isPresent() && marker.get().equals(stamp(file))) {
      return true;
    }
    if (sha256(file).equals(expected)) {
      recordCheck(file);
      return true;
    }
    return false;
  }

  private static Optional<String> readMarker(Path file) throws IOException {
    Path marker = markerOf(file);
    return Files.isRegularFile(marker)
        ? Optional.of(Files.readString(marker).strip())
        : Optional.empty();
  }

  private static void recordCheck(Path file) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".checked-", ".tmp");
    try {
      Files.writeString(tmp, stamp(file));
      move(tmp, markerOf(file));
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static Path markerOf(Path file) {
    return file.resolveSibling(file.getFileName() + ".checked");
  }

  private static String stamp(Path file) throws IOException {
    return Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis();
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
