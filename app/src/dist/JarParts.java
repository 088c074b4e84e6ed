import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * package.sh's helper, run as a source file ({@code java JarParts.java}) so that packaging needs
 * nothing but the JDK. Splits the shaded jar into deployer's own classes and its dependencies'.
 *
 * <pre>
 *   java JarParts.java own JAR DIR    writes DIR/own/ (deployer's classes), DIR/deps.key (a hash
 *                                      of every dependency class's name and CRC) and
 *                                      DIR/libjnidispatch.so (JNA's linux-x86-64 library)
 *   java JarParts.java deps JAR DIR   writes DIR/deps/ (the dependencies' classes)
 * </pre>
 */
public final class JarParts {
  private static final String JNA = "com/sun/jna/linux-x86-64/libjnidispatch.so";

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !(args[0].equals("own") || args[0].equals("deps"))) {
      System.err.println("usage: java JarParts.java own|deps JAR DIR");
      System.exit(2);
    }
    boolean own = args[0].equals("own");
    Path dir = Path.of(args[2]);
    TreeMap<String, Long> deps = new TreeMap<>();
    try (ZipFile jar = new ZipFile(args[1])) {
      for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.endsWith(".class")) {
          if (own && name.equals(JNA)) {
            copy(jar, entry, dir.resolve("libjnidispatch.so"));
          }
          continue;
        }
        boolean ours = name.replaceFirst("^META-INF/versions/\\d+/", "").startsWith("dev/deployer/");
        if (ours && own) {
          copy(jar, entry, dir.resolve("own").resolve(name));
        } else if (!ours) {
          deps.put(name, entry.getCrc());
          if (!own) {
            copy(jar, entry, dir.resolve("deps").resolve(name));
          }
        }
      }
    }
    if (own) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      deps.forEach(
          (name, crc) -> digest.update((name + " " + crc + "\n").getBytes(StandardCharsets.UTF_8)));
      Files.writeString(
          dir.resolve("deps.key"), HexFormat.of().formatHex(digest.digest()).substring(0, 32));
    }
  }

  private static void copy(ZipFile jar, ZipEntry entry, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = jar.getInputStream(entry)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
