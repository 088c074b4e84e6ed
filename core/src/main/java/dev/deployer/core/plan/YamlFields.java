package dev.deployer.core.plan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.commons.text.similarity.LevenshteinDistance;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The keys of one YAML mapping, read with their positions. Every problem found goes to {@link
 * Problems} with the file, line, column and field path; a bad value yields the default so that
 * reading goes on and every problem is reported in one run. The plan reader and the planfile reader
 * both read through it.
 */
public final class YamlFields {
  private static final LevenshteinDistance DISTANCE = LevenshteinDistance.getDefaultInstance();

  private final Path file;
  private final Problems problems;
  private final String path;
  private final Node node;
  private final Map<String, NodeTuple> entries;

  private YamlFields(
      Path file, Problems problems, String path, Node node, Map<String, NodeTuple> entries) {
    this.file = file;
    this.problems = problems;
    this.path = path;
    this.node = node;
    this.entries = entries;
  }

  /**
   * Reads a mapping node; keys outside {@code known} are errors that suggest the closest known key.
   * Keys starting with {@code .} or {@code x-} are allowed where {@code allowExtensions} (they hold
   * YAML anchors). Returns an empty object, after reporting, when the node is not a mapping.
   */
  static YamlFields of(
      Path file,
      Problems problems,
      String path,
      Node node,
      Set<String> known,
      boolean allowExtensions) {
    return read(file, problems, path, node, known, allowExtensions);
  }

  /**
   * Reads a mapping node whose keys are all taken, known or not (a planfile's: one from a newer or
   * an older build may hold keys this one does not read). Reports, and returns an empty object,
   * when the node is not a mapping.
   */
  public static YamlFields lenient(Path file, Problems problems, String path, Node node) {
    return read(file, problems, path, node, null, false);
  }

  /**
   * The mapping at {@code key}, read as {@link #lenient(Path, Problems, String, Node)} does; an
   * empty one when the key is not set.
   */
  public YamlFields lenient(String key) {
    Optional<Node> n = node(key);
    return n.isPresent()
        ? lenient(file, problems, path(key), n.get())
        : new YamlFields(file, problems, path(key), node, new LinkedHashMap<>());
  }

  /** {@code known} null takes every key. */
  private static YamlFields read(
      Path file,
      Problems problems,
      String path,
      Node node,
      Set<String> known,
      boolean allowExtensions) {
    Map<String, NodeTuple> entries = new LinkedHashMap<>();
    if (!(node instanceof MappingNode mapping)) {
      problems.error(at(file, node), path, "must be a mapping of keys to values");
      return new YamlFields(file, problems, path, node, entries);
    }
    Map<String, NodeTuple> merged = new LinkedHashMap<>();
    for (NodeTuple tuple : mapping.getValue()) {
      Node keyNode = tuple.getKeyNode();
      if (!(keyNode instanceof ScalarNode keyScalar)) {
        problems.error(at(file, keyNode), path, "keys must be plain strings");
        continue;
      }
      String key = keyScalar.getValue();
      if (key.equals("<<")) {
        Set<Node> open = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        open.add(mapping);
        collectMerge(
            file,
            problems,
            path,
            keyNode,
            tuple.getValueNode(),
            merged,
            java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()),
            open,
            0);
        continue;
      }
      if (entries.containsKey(key)) {
        problems.error(
            at(file, keyNode),
            join(path, key),
            "is set twice (first at line " + line(entries.get(key).getKeyNode()) + ")");
        continue;
      }
      entries.put(key, tuple);
    }
    // Explicit keys win over merged ones, as in YAML 1.1 merge keys.
    merged.forEach(entries::putIfAbsent);
    if (known == null) {
      return new YamlFields(file, problems, path, node, entries);
    }
    for (Map.Entry<String, NodeTuple> e : entries.entrySet()) {
      String key = e.getKey();
      if (known.contains(key) || allowExtensions && (key.startsWith(".") || key.startsWith("x-"))) {
        continue;
      }
      problems.error(
          at(file, e.getValue().getKeyNode()),
          join(path, key),
          "unknown key" + suggestion(key, known));
    }
    entries.keySet().retainAll(known);
    return new YamlFields(file, problems, path, node, entries);
  }

  /**
   * Adds the keys a merge brings in. A mapping that merges itself, directly or through the mappings
   * it merges ({@code open}), is a recursive alias, refused as YAML libraries such as Go's refuse
   * it. Each other mapping is merged at most once ({@code seen}): merging it again adds nothing, so
   * merges fanning out through aliases cannot take exponential time.
   *
   * @param mergeKey the {@code <<} whose value is {@code value}, where problems are reported
   */
  private static void collectMerge(
      Path file,
      Problems problems,
      String path,
      Node mergeKey,
      Node value,
      Map<String, NodeTuple> merged,
      Set<Node> seen,
      Set<Node> open,
      int depth) {
    if (depth > PlanReader.MAX_NESTING) {
      problems.error(
          at(file, mergeKey),
          path + ".<<",
          "merges nest more than " + PlanReader.MAX_NESTING + " levels deep");
      return;
    }
    List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    for (Node source : sources) {
      if (!(source instanceof MappingNode m)) {
        problems.error(
            at(file, source), path + ".<<", "a merge key takes a mapping or a list of them");
        continue;
      }
      if (open.contains(source)) {
        problems.error(
            at(file, mergeKey),
            path + ".<<",
            "merges the mapping that holds it (a recursive alias); merge only other mappings");
        continue;
      }
      if (!seen.add(source)) {
        continue;
      }
      open.add(source);
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          if (k.getValue().equals("<<")) {
            collectMerge(file, problems, path, k, t.getValueNode(), merged, seen, open, depth + 1);
          } else {
            merged.putIfAbsent(k.getValue(), t);
          }
        }
      }
      open.remove(source);
    }
  }

  static String suggestion(String key, Set<String> known) {
    return closest(key, known)
        .map(best -> "; did you mean \"" + best + "\"?")
        .orElse("; known keys: " + String.join(", ", new java.util.TreeSet<>(known)));
  }

  /** The word of {@code known} that {@code word} is most likely a misspelling of, if any. */
  static Optional<String> closest(String word, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : new java.util.TreeSet<>(known)) {
      int d = DISTANCE.apply(word.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate;
      }
    }
    return best != null && bestDistance <= Math.max(2, word.length() / 3)
        ? Optional.of(best)
        : Optional.empty();
  }

  static Location at(Path file, Node node) {
    return node.getStartMark()
        .map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
        .orElse(Location.of(file));
  }

  private static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  public Location location() {
    return at(file, node);
  }

  public Location location(String key) {
    NodeTuple t = entries.get(key);
    return t == null ? location() : at(file, t.getValueNode());
  }

  public String path() {
    return path;
  }

  public String path(String key) {
    return join(path, key);
  }

  public boolean has(String key) {
    NodeTuple t = entries.get(key);
    return t != null && !isNull(t.getValueNode());
  }

  public Optional<Node> node(String key) {
    NodeTuple t = entries.get(key);
    return t == null || isNull(t.getValueNode()) ? Optional.empty() : Optional.of(t.getValueNode());
  }

  public Set<String> keys() {
    return new LinkedHashSet<>(entries.keySet());
  }

  public void error(String key, String message) {
    problems.error(location(key), path(key), message);
  }

  /** A required string; reports and returns "" when missing. */
  public String required(String key) {
    Optional<String> v = string(key);
    if (v.isEmpty() || v.get().isBlank()) {
      if (!entries.containsKey(key) || v.isEmpty()) {
        problems.error(location(), path(key), "is required");
      } else {
        error(key, "must not be empty");
      }
      return "";
    }
    return v.get();
  }

  public Optional<String> string(String key) {
    return node(key).flatMap(n -> scalar(n, path(key)));
  }

  public String string(String key, String defaultValue) {
    return string(key).orElse(defaultValue);
  }

  public boolean bool(String key, boolean defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    switch (v.get().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on":
        return true;
      case "false", "no", "off":
        return false;
      default:
        error(key, "must be true or false, not \"" + v.get() + "\"");
        return defaultValue;
    }
  }

  /**
   * A {@code wait}: a strategy's name, or a boolean ({@code true} is the watcher); {@code absent}
   * when the key is not set.
   */
  public WaitStrategy waitStrategy(String key, WaitStrategy absent) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return absent;
    }
    String text = v.get().toLowerCase(Locale.ROOT);
    if (Set.of("yes", "on").contains(text)) {
      return WaitStrategy.WATCHER;
    }
    if (Set.of("no", "off").contains(text)) {
      return WaitStrategy.HOOK_ONLY;
    }
    return WaitStrategy.parse(v.get())
        .orElseGet(
            () -> {
              error(
                  key,
                  "must be watcher, legacy, hookOnly or a boolean (true is watcher), not \""
                      + v.get()
                      + "\"");
              return WaitStrategy.HOOK_ONLY;
            });
  }

  public long integer(String key, long defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(v.get().replace("_", ""));
    } catch (NumberFormatException e) {
      error(key, "must be a whole number, not \"" + v.get() + "\"");
      return defaultValue;
    }
  }

  /**
   * A whole number from {@code min} to {@code max}; one outside them, even one too long for a
   * {@code long}, is reported as such rather than wrapped or cut to fit.
   */
  public long integer(String key, long defaultValue, long min, long max) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String digits = v.get().replace("_", "");
    if (!digits.matches("[-+]?[0-9]+")) {
      error(key, "must be a whole number, not \"" + v.get() + "\"");
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(digits);
    } catch (NumberFormatException e) {
      // more digits than a long holds
      error(key, "must be " + min + " or more, up to " + max);
      return defaultValue;
    }
    if (value < min || value > max) {
      error(key, "must be " + min + " or more, up to " + max);
      return defaultValue;
    }
    return value;
  }

  public Duration duration(String key, Duration defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return GoDuration.parse(v.get());
    } catch (IllegalArgumentException e) {
      error(key, e.getMessage());
      return defaultValue;
    }
  }

  public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
    Optional<String> v = string(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Enum.valueOf(type, v.get().trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      List<String> names = new ArrayList<>();
      for (E c : type.getEnumConstants()) {
        names.add(c.name().toLowerCase(Locale.ROOT));
      }
      error(key, "must be one of " + String.join(", ", names) + ", not \"" + v.get() + "\"");
      return defaultValue;
    }
  }

  /** A list; a single scalar is taken as a list of one, as helmwave does. */
  public List<Node> list(String key) {
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return List.of();
    }
    if (n.get() instanceof SequenceNode seq) {
      return seq.getValue();
    }
    if (n.get() instanceof ScalarNode) {
      return List.of(n.get());
    }
    error(key, "must be a list");
    return List.of();
  }

  public List<String> strings(String key) {
    List<String> out = new ArrayList<>();
    List<Node> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      scalar(items.get(i), path(key) + "[" + i + "]").ifPresent(out::add);
    }
    return out;
  }

  public Map<String, String> stringMap(String key) {
    Map<String, String> out = new LinkedHashMap<>();
    Optional<Node> n = node(key);
    if (n.isEmpty()) {
      return out;
    }
    if (!(n.get() instanceof MappingNode m)) {
      error(key, "must be a mapping of names to values");
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      Optional<String> k = scalar(t.getKeyNode(), path(key));
      Optional<String> v = scalar(t.getValueNode(), path(key) + "." + k.orElse("?"));
      if (k.isPresent() && v.isPresent()) {
        out.put(k.get(), v.get());
      }
    }
    return out;
  }

  /** Reads each item of a list with {@code reader}, given the item's node and its path. */
  public <T> List<T> each(String key, BiFunction<Node, String, Optional<T>> reader) {
    List<T> out = new ArrayList<>();
    List<Node> items = list(key);
    for (int i = 0; i < items.size(); i++) {
      reader.apply(items.get(i), path(key) + "[" + i + "]").ifPresent(out::add);
    }
    return out;
  }

  Optional<String> scalar(Node n, String fieldPath) {
    if (n instanceof ScalarNode s) {
      return isNull(s) ? Optional.empty() : Optional.of(s.getValue());
    }
    problems.error(at(file, n), fieldPath, "must be a single value, not a list or mapping");
    return Optional.empty();
  }

  static boolean isNull(Node n) {
    return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
  }
}
