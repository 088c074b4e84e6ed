package dev.deployer.core.build;

import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A plan directory on disk: the reviewable output of {@code deployer build}.
 *
 * <pre>
 * planfile                     the resolved plan
 * manifests/UNIQUE_NAME.yml    each release's rendered manifest
 * values/UNIQUE_NAME/N.yml     each release's rendered values files, in merge order
 * charts/NAME-VERSION.tgz      vendored remote charts
 * graph.md                     the release graph as Mermaid
 * summary.md                   the change summary for a pull request
 * </pre>
 */
public final class PlanDirectory {
  public static final String PLANFILE = "planfile";
  public static final String GRAPH = "graph.md";
  public static final String SUMMARY = "summary.md";

  private final Path dir;
  private final Map<String, Object> planfile;

  private PlanDirectory(Path dir, Map<String, Object> planfile) {
    this.dir = dir;
    this.planfile = planfile;
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(PLANFILE));
  }

  /**
   * Opens a plan directory.
   *
   * @throws dev.deployer.core.plan.PlanException when there is no readable planfile
   */
  @SuppressWarnings("unchecked")
  public static PlanDirectory open(Path dir) {
    Path file = dir.resolve(PLANFILE);
    Problems problems = new Problems();
    Map<String, Object> content = Map.of();
    try {
      Object parsed =
          new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file));
      if (parsed instanceof Map<?, ?> map && map.get("releases") instanceof List<?>) {
        content = (Map<String, Object>) map;
      } else {
        problems.error(Location.of(file), "", "not a planfile written by deployer build");
      }
    } catch (java.nio.file.NoSuchFileException e) {
      problems.error(
          Location.of(file),
          "",
          "no planfile: is " + dir + " a plan directory written by deployer build?");
    } catch (IOException e) {
      problems.error(Location.of(file), "", "cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.error(Location.of(file), "", "not valid YAML: " + e.getMessage());
    }
    problems.throwIfErrors();
    return new PlanDirectory(dir, content);
  }

  public Path dir() {
    return dir;
  }

  @SuppressWarnings("unchecked")
  List<Map<String, Object>> releaseEntries() {
    return (List<Map<String, Object>>) planfile.get("releases");
  }

  /** Each release as the planfile and its manifest describe it, by unique name. */
  public Map<String, ReleaseSnapshot> snapshots() {
    Map<String, ReleaseSnapshot> out = new LinkedHashMap<>();
    for (Map<String, Object> r : releaseEntries()) {
      String name = String.valueOf(r.get("unique_name"));
      Object chart = r.get("chart");
      Optional<String> version =
          chart instanceof Map<?, ?> c && c.get("version") != null
              ? Optional.of(String.valueOf(c.get("version")))
              : Optional.empty();
      out.put(
          name,
          new ReleaseSnapshot(
              name,
              String.valueOf(r.get("namespace")),
              version,
              read(String.valueOf(r.get("manifest")))));
    }
    return out;
  }

  private String read(String relative) {
    try {
      return Files.readString(dir.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Checks that the directory is complete: every file the planfile names exists and has the digest
   * it records. Problems are collected, not thrown.
   */
  @SuppressWarnings("unchecked")
  public void check(Problems problems) {
    Path file = dir.resolve(PLANFILE);
    for (String top : List.of(GRAPH, SUMMARY)) {
      if (!Files.isRegularFile(dir.resolve(top))) {
        problems.error(Location.of(dir.resolve(top)), "", "missing");
      }
    }
    List<Map<String, Object>> releases = releaseEntries();
    for (int i = 0; i < releases.size(); i++) {
      Map<String, Object> r = releases.get(i);
      String field = "releases[" + i + "]";
      checkFile(problems, file, field + ".manifest", r.get("manifest"), r.get("manifest_digest"));
      Object values = r.get("values");
      if (values instanceof List<?> list) {
        for (int v = 0; v < list.size(); v++) {
          Map<String, Object> entry = (Map<String, Object>) list.get(v);
          checkFile(
              problems, file, field + ".values[" + v + "]", entry.get("file"), entry.get("digest"));
        }
      }
      if (r.get("chart") instanceof Map<?, ?> chart) {
        Object path = chart.get("path");
        Path resolved = path == null ? null : dir.resolve(String.valueOf(path));
        if (resolved == null || !Files.exists(resolved)) {
          problems.error(Location.of(file), field + ".chart.path", "chart " + path + " is missing");
        } else if ("vendored".equals(chart.get("kind")) || "archive".equals(chart.get("kind"))) {
          checkFile(problems, file, field + ".chart.path", path, chart.get("digest"));
        } else if (!Hashing.sha256Tree(resolved).equals(chart.get("digest"))) {
          problems.error(
              Location.of(file),
              field + ".chart",
              "local chart " + path + " changed since the build (digest differs)");
        }
      }
    }
  }

  private void checkFile(
      Problems problems, Path planfile, String field, Object relative, Object digest) {
    if (relative == null) {
      problems.error(Location.of(planfile), field, "is not recorded");
      return;
    }
    Path f = dir.resolve(String.valueOf(relative));
    if (!Files.isRegularFile(f)) {
      problems.error(Location.of(planfile), field, relative + " is missing");
    } else if (digest != null && !Hashing.sha256(f).equals(digest)) {
      problems.error(
          Location.of(planfile), field, relative + " was changed after the build (digest differs)");
    }
  }
}
