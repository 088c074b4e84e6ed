package dev.deployer.core.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Splits a rendered manifest into its resources. */
public final class Manifests {
  private Manifests() {}

  /**
   * The resources of a manifest, sorted by {@link Resource#key()}. Objects without a namespace get
   * {@code defaultNamespace}, as Helm installs them there. Empty documents are skipped.
   */
  @SuppressWarnings("unchecked")
  public static List<Resource> parse(String manifest, String defaultNamespace) {
    List<Resource> resources = new ArrayList<>();
    for (String document : manifest.split("(?m)^---\\s*$")) {
      String text = document.replaceAll("(?m)^# Source: .*\\R", "").strip();
      if (text.isEmpty()) {
        continue;
      }
      Object parsed = new Load(LoadSettings.builder().build()).loadFromString(text);
      if (!(parsed instanceof Map<?, ?> map)) {
        continue;
      }
      Map<String, Object> content = (Map<String, Object>) map;
      Object metadata = content.get("metadata");
      Map<String, Object> meta =
          metadata instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      String namespace = String.valueOf(meta.getOrDefault("namespace", defaultNamespace));
      resources.add(
          new Resource(
              String.valueOf(content.getOrDefault("kind", "")),
              namespace,
              String.valueOf(meta.getOrDefault("name", "")),
              content,
              text + "\n"));
    }
    resources.sort(Comparator.comparing(Resource::key));
    return resources;
  }
}
