import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * package.sh's helper, run as a source file ({@code java JarParts.java}) so that packaging needs
 * nothing but the JDK. Splits the shaded jar into deployer's own classes and its dependencies'.
 *
 * <pre>
 *   java JarParts.java scan JAR DIR   writes DIR/deps.key (a hash of every dependency class's name
 *                                      and CRC), DIR/own.key (a hash of the JDK classes that
 *                                      deployer's classes name) and DIR/libjnidispatch.so (JNA's
 *                                      linux-x86-64 library)
 *   java JarParts.java own JAR DIR    writes DIR/own/ (deployer's classes)
 *   java JarParts.java deps JAR DIR   writes DIR/deps/ (the dependencies' classes)
 * </pre>
 *
 * <p>The keys let package.sh skip jdeps: the modules a set of classes needs follow from the JDK
 * classes they name, and a class file names them in its constant pool as plain text ({@code
 * java/net/http/HttpClient}), so a change of deployer's code that names no new JDK class keeps
 * {@code own.key}.
 */
public final class JarParts {
  private static final String JNA = "com/sun/jna/linux-x86-64/libjnidispatch.so";
  private static final Pattern JDK_CLASS =
      Pattern.compile("(?:java|javax|jdk|sun|com/sun|org/w3c|org/xml|org/ietf)/[A-Za-z0-9_/$]+");

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !List.of("scan", "own", "deps").contains(args[0])) {
      System.err.println("usage: java JarParts.java scan|own|deps JAR DIR");
      System.exit(2);
    }
    String mode = args[0];
    Path dir = Path.of(args[2]);
    Files.createDirectories(dir);
    TreeSet<String> deps = new TreeSet<>();
    TreeSet<String> jdkNames = new TreeSet<>();
    try (ZipFile jar = new ZipFile(args[1])) {
      for (ZipEntry entry : java.util.Collections.list(jar.entries())) {
        String name = entry.getName();
        if (entry.isDirectory() || !name.endsWith(".class")) {
          if (mode.equals("scan") && name.equals(JNA)) {
            copy(jar, entry, dir.resolve("libjnidispatch.so"));
          }
          continue;
        }
        boolean ours = name.replaceFirst("^META-INF/versions/\\d+/", "").startsWith("dev/deployer/");
        if (ours && mode.equals("scan")) {
          try (InputStream in = jar.getInputStream(entry)) {
            Matcher m = JDK_CLASS.matcher(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            while (m.find()) {
              jdkNames.add(m.group());
            }
          }
        } else if (ours && mode.equals("own")) {
          copy(jar, entry, dir.resolve("own").resolve(name));
        } else if (!ours && mode.equals("scan")) {
          deps.add(name + " " + entry.getCrc());
        } else if (!ours && mode.equals("deps")) {
          copy(jar, entry, dir.resolve("deps").resolve(name));
        }
      }
    }
    if (mode.equals("scan")) {
      Files.writeString(dir.resolve("deps.key"), hash(deps));
      Files.writeString(dir.resolve("own.key"), hash(jdkNames));
    }
  }

  private static String hash(TreeSet<String> lines) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    for (String line : lines) {
      digest.update((line + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
  }

  private static void copy(ZipFile jar, ZipEntry entry, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = jar.getInputStream(entry)) {
      Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
