package dev.deployer.core.chart;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Unpacks a packaged chart ({@code .tgz}, as {@code helm package} and Go's archive/tar write it:
 * ustar with PAX or GNU long names). Only regular files and directories are unpacked; entries that
 * would land outside the target directory are refused.
 */
final class ChartArchive {

  private static final int BLOCK = 512;

  private ChartArchive() {}

  static void unpack(Path archive, Path targetDir) throws IOException {
    Path root = targetDir.toAbsolutePath().normalize();
    try (DataInputStream in =
        new DataInputStream(new GZIPInputStream(Files.newInputStream(archive), 64 * 1024))) {
      byte[] header = new byte[BLOCK];
      String longName = null;
      while (true) {
        try {
          in.readFully(header);
        } catch (EOFException e) {
          return; // some writers omit the two closing zero blocks
        }
        if (isZero(header)) {
          return;
        }
        long size = octal(header, 124, 12);
        char type = (char) header[156];
        byte[] data = readData(in, size);
        if (type == 'x' || type == 'L') {
          longName = type == 'x' ? paxPath(data) : cString(data, 0, data.length);
          continue;
        }
        String name = longName != null ? longName : ustarName(header);
        longName = null;
        if (type != '0' && type != '\0' && type != '5') {
          continue; // links, devices, global PAX headers: not part of a chart
        }
        Path target = root.resolve(name).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
          throw new IOException(archive + ": entry outside the chart: " + name);
        }
        if (type == '5') {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          Files.write(target, data);
        }
      }
    }
  }

  private static byte[] readData(DataInputStream in, long size) throws IOException {
    if (size > Integer.MAX_VALUE - BLOCK) {
      throw new IOException("archive entry too large: " + size + " bytes");
    }
    byte[] data = new byte[(int) size];
    in.readFully(data);
    int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
    in.readFully(new byte[padding]);
    return data;
  }

  private static String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    boolean ustar = cString(header, 257, 6).startsWith("ustar");
    String prefix = ustar ? cString(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  // PAX records: "<length> <key>=<value>\n".
  private static String paxPath(byte[] data) {
    String path = null;
    int pos = 0;
    while (pos < data.length) {
      int space = indexOf(data, (byte) ' ', pos);
      if (space < 0) {
        break;
      }
      int length = Integer.parseInt(new String(data, pos, space - pos, StandardCharsets.US_ASCII));
      String record =
          new String(data, space + 1, length - (space - pos) - 2, StandardCharsets.UTF_8);
      if (record.startsWith("path=")) {
        path = record.substring("path=".length());
      }
      pos += length;
    }
    return path;
  }

  private static int indexOf(byte[] data, byte b, int from) {
    for (int i = from; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    String text = cString(header, offset, length).strip();
    if (text.isEmpty()) {
      return 0;
    }
    try {
      return Long.parseLong(text, 8);
    } catch (NumberFormatException e) {
      throw new IOException("not a tar archive (bad size field '" + text + "')", e);
    }
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }
}
