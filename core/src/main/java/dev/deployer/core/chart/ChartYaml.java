package dev.deployer.core.chart;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The name and version a local chart's {@code Chart.yaml} declares, and whether it has
 * dependencies.
 */
public record ChartYaml(String name, String version, boolean hasDependencies) {
  public static ChartYaml read(Path file) {
    try {
      Object parsed =
          new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      if (parsed instanceof Map<?, ?> map) {
        Object name = map.get("name");
        Object version = map.get("version");
        return new ChartYaml(
            name == null ? "" : String.valueOf(name),
            version == null ? "" : String.valueOf(version),
            map.get("dependencies") instanceof java.util.List<?> deps && !deps.isEmpty());
      }
      return new ChartYaml("", "", false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
