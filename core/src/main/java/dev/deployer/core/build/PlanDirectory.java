package dev.deployer.core.build;

import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.plan.Chart;
import dev.deployer.core.plan.Dependency;
import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A plan directory on disk: the reviewable output of {@code deployer build}.
 *
 * <pre>
 * planfile                     the resolved plan
 * planfile.sha256              the planfile's digest, recorded by the build
 * manifests/UNIQUE_NAME.yml    each release's rendered manifest
 * values/UNIQUE_NAME/N.yml     each release's rendered values files, in merge order
 * charts/NAME-VERSION.tgz      vendored remote charts
 * graph.md                     the release graph as Mermaid
 * summary.md                   the change summary for a pull request, at most 60,000 characters
 * summary-full.md              the whole summary, only when summary.md had to be cut
 * </pre>
 */
public final class PlanDirectory {
  public static final String PLANFILE = "planfile";
  public static final String PLANFILE_DIGEST = "planfile.sha256";
  public static final String GRAPH = "graph.md";
  public static final String SUMMARY = "summary.md";
  public static final String FULL_SUMMARY = dev.deployer.core.diff.DiffFormat.FULL_SUMMARY;

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
      Path replaced = dir.resolveSibling("." + dir.getFileName() + ".replaced");
      problems.error(
          Location.of(file),
          "",
          exists(replaced)
              ? "no planfile: a build was killed while it swapped in a new plan directory; the"
                  + " previous one is "
                  + replaced.getFileName()
                  + " beside it: run build again, or rename it back"
              : "no planfile: is " + dir + " a plan directory written by deployer build?");
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

  /**
   * Whether the manifests hold Helm test hooks ({@code build --include-tests}); when not, a
   * manifest compared with them (what a cluster has) must leave them out too.
   */
  public boolean includesTests() {
    return Boolean.parseBoolean(text(planfile.get("include_tests")));
  }

  /** Each release's {@code deploy} section, by unique name. */
  Map<String, Map<String, Object>> deployOptions() {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (Map<String, Object> r : releaseEntries()) {
      out.put(text(r.get("unique_name")), map(r.get("deploy")));
    }
    return out;
  }

  /** The command that uninstalls a release of this directory, as {@code helm} takes it. */
  Optional<String> uninstallCommand(String uniqueName) {
    return releaseEntries().stream()
        .filter(r -> uniqueName.equals(text(r.get("unique_name"))))
        .findFirst()
        .map(
            r ->
                "helm uninstall "
                    + text(r.get("name"))
                    + " --namespace "
                    + text(r.get("namespace"))
                    + optional(r.get("context")).map(c -> " --kube-context " + c).orElse(""));
  }

  /**
   * The plan this directory describes, ready to deploy: charts from the directory (vendored) or the
   * local chart paths it records, values from its rendered files, dependencies by unique name.
   */
  public Plan plan() {
    Path file = dir.resolve(PLANFILE);
    Location here = Location.of(file);
    List<Release> releases = new ArrayList<>();
    for (Map<String, Object> r : releaseEntries()) {
      Map<String, Object> chart = map(r.get("chart"));
      Path chartPath = dir.resolve(text(chart.get("path"))).toAbsolutePath().normalize();
      Chart.Kind kind =
          Files.isDirectory(chartPath) ? Chart.Kind.LOCAL_DIRECTORY : Chart.Kind.ARCHIVE;
      Chart resolved =
          new Chart(
              chartPath.toString(),
              optional(chart.get("version")),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              false,
              true,
              true,
              kind,
              here);
      List<ValuesFile> values = new ArrayList<>();
      for (Object v : list(r.get("values"))) {
        values.add(
            new ValuesFile(
                dir.resolve(text(map(v).get("file"))).toAbsolutePath().normalize().toString(),
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                here));
      }
      List<Dependency> deps = new ArrayList<>();
      for (Object d : list(r.get("depends_on"))) {
        deps.add(new Dependency(Optional.of(text(d)), Optional.empty(), false, here));
      }
      List<MonitorRef> monitors = new ArrayList<>();
      for (Object m : list(r.get("monitors"))) {
        monitors.add(
            new MonitorRef(
                text(map(m).get("name")),
                MonitorRef.Action.valueOf(text(map(m).get("action")).toUpperCase(Locale.ROOT)),
                here));
      }
      Map<String, Object> d = map(r.get("deploy"));
      Release.Deployment deployment =
          new Release.Deployment(
              waitStrategy(d.get("wait")),
              bool(d, "wait_for_jobs"),
              GoDuration.parse(text(d.getOrDefault("timeout", "5m"))),
              bool(d, "atomic"),
              bool(d, "create_namespace"),
              Integer.parseInt(text(d.getOrDefault("max_history", 10))),
              Release.PendingReleaseStrategy.valueOf(
                  text(d.getOrDefault("pending_release_strategy", "fail"))
                      .toUpperCase(Locale.ROOT)),
              bool(d, "allow_failure"),
              bool(d, "cleanup_on_fail"),
              bool(d, "disable_hooks"),
              bool(d, "disable_open_api_validation"),
              bool(d, "force"),
              bool(d, "recreate"),
              bool(d, "reset_values"),
              bool(d, "reuse_values"),
              bool(d, "skip_crds"),
              bool(d, "enable_dns"),
              bool(d, "show_notes"),
              bool(d, "sub_notes"),
              list(d.get("post_renderer")).stream().map(PlanDirectory::text).toList(),
              optional(d.get("delete_propagation")),
              bool(d, "rollout_restart"));
      releases.add(
          new Release(
              text(r.get("name")),
              text(r.get("namespace")),
              optional(r.get("context")),
              resolved,
              values,
              list(r.get("tags")).stream().map(PlanDirectory::text).toList(),
              deps,
              monitors,
              deployment,
              optional(r.get("kube_version")),
              optional(r.get("description")),
              Map.of(),
              lifecycle(map(r.get("lifecycle")), here),
              here));
    }
    return new Plan(
        file,
        text(planfile.getOrDefault("project", "")),
        Optional.empty(),
        List.of(),
        List.of(),
        monitors(file),
        releases,
        lifecycle(map(planfile.get("lifecycle")), here));
  }

  /**
   * The planfile's monitors, read back by the plan reader: the planfile writes them in the plan
   * file's own format, so they are checked the same way.
   */
  private List<dev.deployer.core.plan.Monitor> monitors(Path file) {
    Object monitors = planfile.get("monitors");
    if (!(monitors instanceof List<?> list) || list.isEmpty()) {
      return List.of();
    }
    String yaml =
        new org.snakeyaml.engine.v2.api.Dump(
                org.snakeyaml.engine.v2.api.DumpSettings.builder()
                    .setDefaultFlowStyle(org.snakeyaml.engine.v2.common.FlowStyle.BLOCK)
                    .build())
            .dumpToString(Map.of("monitors", list));
    Problems problems = new Problems();
    Plan read =
        dev.deployer.core.plan.PlanReader.read(file, new java.io.StringReader(yaml), problems);
    problems.throwIfErrors();
    return read.monitors();
  }

  /** The plan file the directory was built from, when the planfile names one. */
  public Optional<Path> planFile() {
    Object relative = planfile.get("plan_file");
    return relative == null
        ? Optional.empty()
        : Optional.of(dir.resolve(text(relative)).normalize());
  }

  /** The rendered manifest of a release of this directory. */
  public String manifest(String uniqueName) {
    return read(entry(uniqueName).get("manifest").toString());
  }

  /** The cluster revision the release was diffed against at build time, when recorded. */
  public Optional<Integer> liveRevision(String uniqueName) {
    Object v = entry(uniqueName).get("live_revision");
    return v == null ? Optional.empty() : Optional.of(Integer.parseInt(text(v)));
  }

  private Map<String, Object> entry(String uniqueName) {
    return releaseEntries().stream()
        .filter(r -> uniqueName.equals(r.get("unique_name")))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no release " + uniqueName + " in " + dir));
  }

  private static Lifecycle lifecycle(Map<String, Object> phases, Location here) {
    Map<Lifecycle.Phase, List<Lifecycle.Hook>> hooks = new EnumMap<>(Lifecycle.Phase.class);
    phases.forEach(
        (phase, list) -> {
          List<Lifecycle.Hook> out = new ArrayList<>();
          for (Object h : list(list)) {
            Map<String, Object> hook = map(h);
            out.add(
                new Lifecycle.Hook(
                    text(hook.get("cmd")),
                    list(hook.get("args")).stream().map(PlanDirectory::text).toList(),
                    bool(hook, "show"),
                    bool(hook, "allow_failure"),
                    here));
          }
          hooks.put(Lifecycle.Phase.valueOf(phase.toUpperCase(Locale.ROOT)), out);
        });
    return new Lifecycle(hooks);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static String text(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  /** The planfile writes a strategy's name; planfiles written before it have a boolean. */
  private static dev.deployer.core.plan.WaitStrategy waitStrategy(Object value) {
    return value == null
        ? dev.deployer.core.plan.WaitStrategy.HOOK_ONLY
        : dev.deployer.core.plan.WaitStrategy.parse(text(value))
            .orElse(dev.deployer.core.plan.WaitStrategy.HOOK_ONLY);
  }

  private static Optional<String> optional(Object o) {
    return o == null || String.valueOf(o).isEmpty()
        ? Optional.empty()
        : Optional.of(String.valueOf(o));
  }

  private static boolean bool(Map<String, Object> m, String key) {
    return Boolean.parseBoolean(text(m.get(key)));
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
    // The whole summary is written only when summary.md had to be cut, and then summary.md says so.
    Path full = dir.resolve(FULL_SUMMARY);
    if (!Files.isRegularFile(full)
        && Files.isRegularFile(dir.resolve(SUMMARY))
        && read(SUMMARY).contains("`" + FULL_SUMMARY + "` in the plan directory")) {
      problems.error(Location.of(full), "", "missing (summary.md was cut and points to it)");
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

  /**
   * Refuses a plan directory that is not as its build left it: every file the planfile records must
   * have the digest recorded for it, and the planfile the digest its build wrote beside it. This
   * catches accidental edits; someone who edits the planfile can also edit its digest, so a
   * pipeline should deploy the artifact its own build produced.
   *
   * @throws PlanDirectoryChangedException listing every file that differs or is missing
   */
  public void verify() {
    Problems problems = new Problems();
    check(problems);
    Path file = dir.resolve(PLANFILE);
    Path digestFile = dir.resolve(PLANFILE_DIGEST);
    String recorded;
    try {
      recorded = Files.readString(digestFile).strip().split("\\s+")[0];
    } catch (IOException e) {
      recorded = null;
    }
    if (recorded == null || recorded.isEmpty()) {
      problems.error(
          Location.of(digestFile),
          "",
          "missing: the planfile's digest is not recorded (a plan directory from an older build?)");
    } else if (!("sha256:" + recorded).equals(Hashing.sha256(file))) {
      problems.error(
          Location.of(file), "", "the planfile was changed after the build (digest differs)");
    }
    if (problems.hasErrors()) {
      throw new PlanDirectoryChangedException(dir, problems.errors());
    }
  }

  /**
   * The line {@code planfile.sha256} holds for a planfile's content, in {@code sha256sum}'s format
   * ({@code sha256sum -c planfile.sha256} checks it too).
   */
  static String digestLine(String planfileContent) {
    return Hashing.sha256(planfileContent).substring("sha256:".length()) + "  " + PLANFILE + "\n";
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
