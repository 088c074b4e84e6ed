package dev.deployer.core.diff;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Compares releases resource by resource and writes the changes as unified diffs. */
public final class Differ {
  static final String REDACTED = "<redacted>";
  static final String REDACTED_BEFORE = "<redacted: before>";
  static final String REDACTED_AFTER = "<redacted: after>";

  private final boolean showSecrets;
  private final int context;

  /**
   * @param showSecrets show Secret values; otherwise each value is replaced by a marker that still
   *     shows which keys changed
   */
  public Differ(boolean showSecrets) {
    this.showSecrets = showSecrets;
    this.context = 3;
  }

  public PlanDiff diff(Map<String, ReleaseSnapshot> before, Map<String, ReleaseSnapshot> after) {
    List<ReleaseDiff> releases = new ArrayList<>();
    TreeSet<String> names = new TreeSet<>(before.keySet());
    names.addAll(after.keySet());
    for (String name : names) {
      releases.add(release(name, before.get(name), after.get(name)));
    }
    return new PlanDiff(releases);
  }

  private ReleaseDiff release(String name, ReleaseSnapshot before, ReleaseSnapshot after) {
    Map<String, Resource> old = index(before);
    Map<String, Resource> now = index(after);
    TreeSet<String> keys = new TreeSet<>(old.keySet());
    keys.addAll(now.keySet());
    List<ResourceDiff> resources = new ArrayList<>();
    for (String key : keys) {
      resources.add(resource(key, old.get(key), now.get(key)));
    }
    Optional<String> versionBefore = before == null ? Optional.empty() : before.chartVersion();
    Optional<String> versionAfter = after == null ? Optional.empty() : after.chartVersion();
    Change change;
    if (before == null) {
      change = Change.ADDED;
    } else if (after == null) {
      change = Change.REMOVED;
    } else if (resources.stream().allMatch(r -> r.change() == Change.UNCHANGED)
        && versionBefore.equals(versionAfter)) {
      change = Change.UNCHANGED;
    } else {
      change = Change.CHANGED;
    }
    return new ReleaseDiff(name, change, versionBefore, versionAfter, resources);
  }

  private static Map<String, Resource> index(ReleaseSnapshot snapshot) {
    Map<String, Resource> byKey = new LinkedHashMap<>();
    if (snapshot != null) {
      for (Resource r : Manifests.parse(snapshot.manifest(), snapshot.namespace())) {
        byKey.put(r.key(), r);
      }
    }
    return byKey;
  }

  private ResourceDiff resource(String key, Resource before, Resource after) {
    String oldText = before == null ? "" : before.text();
    String newText = after == null ? "" : after.text();
    if (!showSecrets && (isSecret(before) || isSecret(after))) {
      String[] redacted = redactPair(before, after);
      oldText = redacted[0];
      newText = redacted[1];
    }
    boolean same = before != null && after != null && before.content().equals(after.content());
    Change change =
        before == null
            ? Change.ADDED
            : after == null ? Change.REMOVED : same ? Change.UNCHANGED : Change.CHANGED;
    if (change == Change.UNCHANGED) {
      return new ResourceDiff(key, change, "");
    }
    List<String> oldLines = lines(oldText);
    List<String> newLines = lines(newText);
    List<String> unified =
        UnifiedDiffUtils.generateUnifiedDiff(
            before == null ? "/dev/null" : "a/" + key,
            after == null ? "/dev/null" : "b/" + key,
            oldLines,
            DiffUtils.diff(oldLines, newLines),
            context);
    return new ResourceDiff(key, change, String.join("\n", unified) + "\n");
  }

  private static boolean isSecret(Resource r) {
    return r != null && r.isSecret();
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    String body = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    return List.of(body.split("\n", -1));
  }

  /**
   * Both sides of a Secret with every value under {@code data} and {@code stringData} replaced:
   * equal values by the same marker, changed ones by before/after markers, so the diff shows which
   * keys changed and nothing of their values.
   */
  @SuppressWarnings("unchecked")
  static String[] redactPair(Resource before, Resource after) {
    Map<String, Object> old = before == null ? null : new TreeMap<>(before.content());
    Map<String, Object> now = after == null ? null : new TreeMap<>(after.content());
    for (String field : List.of("data", "stringData")) {
      Map<String, Object> oldValues = values(old, field);
      Map<String, Object> newValues = values(now, field);
      if (oldValues != null) {
        Map<String, Object> masked = new TreeMap<>();
        oldValues.forEach(
            (k, v) ->
                masked.put(
                    k,
                    newValues == null
                            || !newValues.containsKey(k)
                            || Objects.equals(newValues.get(k), v)
                        ? REDACTED
                        : REDACTED_BEFORE));
        old.put(field, masked);
      }
      if (newValues != null) {
        Map<String, Object> masked = new TreeMap<>();
        newValues.forEach(
            (k, v) ->
                masked.put(
                    k,
                    oldValues == null
                            || !oldValues.containsKey(k)
                            || Objects.equals(oldValues.get(k), v)
                        ? REDACTED
                        : REDACTED_AFTER));
        now.put(field, masked);
      }
    }
    return new String[] {dump(old), dump(now)};
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> values(Map<String, Object> secret, String field) {
    return secret != null && secret.get(field) instanceof Map<?, ?> m
        ? (Map<String, Object>) m
        : null;
  }

  private static String dump(Map<String, Object> content) {
    if (content == null) {
      return "";
    }
    DumpSettings settings =
        DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setIndent(2).build();
    return new Dump(settings).dumpToString(content);
  }
}
