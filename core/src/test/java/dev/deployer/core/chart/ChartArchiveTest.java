package dev.deployer.core.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartArchiveTest {

  @TempDir Path work;

  @Test
  void unpacksUstarAndPaxLongNames() throws IOException {
    String longName = "web/templates/" + "x".repeat(120) + ".yaml";
    Path archive =
        tgz(
            entry("web/Chart.yaml", '0', "name: web\n"),
            entry("PaxHeaders/x", 'x', pax("path", longName)),
            entry("ignored-short-name", '0', "kind: ConfigMap\n"));

    ChartArchive.unpack(archive, work.resolve("out"));

    assertThat(work.resolve("out/web/Chart.yaml")).hasContent("name: web");
    assertThat(work.resolve("out").resolve(longName)).hasContent("kind: ConfigMap");
  }

  @Test
  void refusesEntriesOutsideTheTargetDirectory() throws IOException {
    Path archive = tgz(entry("web/../../evil.sh", '0', "boom"));

    assertThatThrownBy(() -> ChartArchive.unpack(archive, work.resolve("out")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("entry outside the chart: web/../../evil.sh");
    assertThat(work.resolve("evil.sh")).doesNotExist();
  }

  private Path tgz(byte[]... entries) throws IOException {
    Path file = work.resolve("chart.tgz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      for (byte[] entry : entries) {
        out.write(entry);
      }
      out.write(new byte[1024]);
    }
    return file;
  }

  private static byte[] pax(String key, String value) {
    String record = " " + key + "=" + value + "\n";
    int length = record.length() + 1;
    while (String.valueOf(length).length() + record.length() != length) {
      length++;
    }
    return (length + record).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] entry(String name, char type, String content) {
    return entry(name, type, content.getBytes(StandardCharsets.UTF_8));
  }

  // A ustar header (no checksum: the reader does not need one) and the padded data.
  private static byte[] entry(String name, char type, byte[] data) {
    byte[] header = new byte[512];
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
    byte[] size = String.format("%011o", data.length).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = (byte) type;
    System.arraycopy("ustar".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 5);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(header);
    out.writeBytes(data);
    out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    return out.toByteArray();
  }
}
