package dev.deployer.core.helm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Small charts written at test time. */
public final class TestCharts {

  private TestCharts() {}

  /** Writes a chart whose one ConfigMap carries {@code marker}; returns its directory. */
  public static Path write(Path parent, String name, String version, String marker) {
    Path dir = parent.resolve(name + "-" + version + "-src").resolve(name);
    try {
      Files.createDirectories(dir.resolve("templates"));
      Files.writeString(
          dir.resolve("Chart.yaml"),
          "apiVersion: v2\nname: " + name + "\nversion: " + version + "\n");
      Files.writeString(dir.resolve("values.yaml"), "marker: " + marker + "\n");
      Files.writeString(
          dir.resolve("templates/configmap.yaml"),
          """
          apiVersion: v1
          kind: ConfigMap
          metadata:
            name: {{ .Chart.Name }}-{{ .Release.Name }}
          data:
            marker: {{ .Values.marker | quote }}
          """);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes a chart (see {@link #write}, marker {@code name@version}) and packages it with
   * deployer's Helm engine, as {@code helm package} does; returns {@code
   * destination/<name>-<version>.tgz}.
   */
  public static Path packageChart(Path parent, String name, String version, Path destination) {
    Path dir = write(parent, name, version, name + "@" + version);
    return NativeHelmEngine.shared().packageChart(dir, destination);
  }

  public static String sha256(Path file) {
    try (InputStream in =
        new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return "sha256:"
          + HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
