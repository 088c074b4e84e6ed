package dev.deployer.core.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Makes Helm hooks visible in a client-side render.
 *
 * <p>helm-java's template returns only the release manifest, which Helm builds without hooks;
 * {@code helm template} prints the hooks after it. Helm tells hooks apart by their {@code
 * helm.sh/hook} annotation, so a copy of the chart is rendered with that text masked in templates
 * and values; the masked hooks render as ordinary documents, are moved after the others, as {@code
 * helm template} prints them, and unmasked.
 */
final class HookMasking {

  static final String HOOK = "helm.sh/hook";
  // Same length as HOOK, so the columns in Helm's error messages stay right.
  static final String MASK = "helm.sh_hook";

  private HookMasking() {}

  /** Copies a chart directory or archive into {@code workDir} with hooks masked. */
  /**
   * Whether rendering needs the masked copy: a packaged chart may hold hooks anywhere, a chart
   * directory or values file only where its text names {@code helm.sh/hook}. Most charts without
   * hooks then render in place, without copying a file.
   */
  static boolean needed(Path chart, List<Path> valuesFiles) throws IOException {
    if (!Files.isDirectory(chart)) {
      return true;
    }
    for (Path values : valuesFiles) {
      if (Files.readString(values).contains(HOOK)) {
        return true;
      }
    }
    try (java.util.stream.Stream<Path> files = Files.walk(chart)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
          return true;
        }
        if (new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains(HOOK)) {
          return true;
        }
      }
    }
    return false;
  }

  static Path maskedCopy(Path chart, Path workDir) throws IOException {
    Path copy;
    if (Files.isDirectory(chart)) {
      copy = workDir.resolve(chart.getFileName().toString());
      copyTree(chart, copy);
    } else {
      Path unpacked = workDir.resolve("unpacked");
      ChartArchive.unpack(chart, unpacked);
      copy = singleDirectory(unpacked, chart);
    }
    maskChart(copy);
    return copy;
  }

  /** Values files as given, or masked copies of those that mention hooks. */
  static List<Path> maskedValues(List<Path> valuesFiles, Path workDir) throws IOException {
    List<Path> result = new ArrayList<>();
    for (int i = 0; i < valuesFiles.size(); i++) {
      Path file = valuesFiles.get(i);
      String text = Files.isRegularFile(file) ? Files.readString(file) : "";
      if (text.contains(HOOK)) {
        Files.createDirectories(workDir);
        Path copy = workDir.resolve(i + "-" + file.getFileName());
        Files.writeString(copy, text.replace(HOOK, MASK));
        result.add(copy);
      } else {
        result.add(file);
      }
    }
    return result;
  }

  /** The manifest with hooks after the other documents, unmasked. */
  static String unmask(String manifest) {
    if (!manifest.contains(MASK)) {
      return manifest;
    }
    List<String> resources = new ArrayList<>();
    List<String> hooks = new ArrayList<>();
    for (String document : ("\n" + manifest.strip()).split("\n---\n")) {
      if (document.isBlank()) {
        continue;
      }
      (isHook(document) ? hooks : resources).add("---\n" + document.stripTrailing());
    }
    resources.addAll(hooks);
    return String.join("\n", resources).replace(MASK, HOOK) + "\n";
  }

  private static boolean isHook(String document) {
    if (!document.contains(MASK)) {
      return false;
    }
    try {
      Object parsed = new Load(LoadSettings.builder().build()).loadFromString(document);
      return parsed instanceof Map<?, ?> resource
          && resource.get("metadata") instanceof Map<?, ?> metadata
          && metadata.get("annotations") instanceof Map<?, ?> annotations
          && annotations.containsKey(MASK);
    } catch (RuntimeException e) {
      return false; // not YAML Helm could have read as a hook either
    }
  }

  private static void maskChart(Path chartDir) throws IOException {
    maskFile(chartDir.resolve("values.yaml"));
    Path templates = chartDir.resolve("templates");
    if (Files.isDirectory(templates)) {
      try (Stream<Path> files = Files.walk(templates)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          maskFile(file);
        }
      }
    }
    Path subcharts = chartDir.resolve("charts");
    if (!Files.isDirectory(subcharts)) {
      return;
    }
    try (Stream<Path> entries = Files.list(subcharts)) {
      for (Path entry : entries.sorted().toList()) {
        if (Files.isDirectory(entry)) {
          maskChart(entry);
        } else if (entry.getFileName().toString().endsWith(".tgz")) {
          // Helm skips charts/ entries starting with '.', so the scratch directory stays unseen.
          Path unpacked = Files.createTempDirectory(subcharts, ".unpack");
          ChartArchive.unpack(entry, unpacked);
          Path top = singleDirectory(unpacked, entry);
          Path subchart = subcharts.resolve(top.getFileName().toString());
          if (Files.exists(subchart)) {
            String name = entry.getFileName().toString();
            subchart = subcharts.resolve(name.substring(0, name.length() - ".tgz".length()));
          }
          Files.move(top, subchart);
          Files.delete(unpacked);
          Files.delete(entry);
          maskChart(subchart);
        }
      }
    }
  }

  private static void maskFile(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      String text = Files.readString(file);
      if (text.contains(HOOK)) {
        Files.writeString(file, text.replace(HOOK, MASK));
      }
    }
  }

  private static Path singleDirectory(Path unpacked, Path archive) throws IOException {
    try (Stream<Path> entries = Files.list(unpacked)) {
      List<Path> top = entries.toList();
      if (top.size() != 1 || !Files.isDirectory(top.get(0))) {
        throw new IOException(archive + " is not a chart archive: expected one top directory");
      }
      return top.get(0);
    }
  }

  private static void copyTree(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path destination = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(destination);
        } else {
          Files.copy(path, destination, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
