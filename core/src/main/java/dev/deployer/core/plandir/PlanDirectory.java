package dev.deployer.core.plandir;

import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.plan.Chart;
import dev.deployer.core.plan.Dependency;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.PlanReader;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.schema.CoreSchema;

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
  private final Planfile.Document planfile;

  private PlanDirectory(Path dir, Planfile.Document planfile) {
    this.dir = dir;
    this.planfile = planfile;
  }

  public static boolean exists(Path dir) {
    return Files.isRegularFile(dir.resolve(PLANFILE));
  }

  /**
   * Opens a plan directory and reads its planfile.
   *
   * @throws dev.deployer.core.plan.PlanException when there is no readable planfile, or one with a
   *     field that cannot be read (each at its line)
   */
  public static PlanDirectory open(Path dir) {
    Path file = dir.resolve(PLANFILE);
    Problems problems = new Problems();
    Node root = null;
    try {
      LoadSettings settings =
          LoadSettings.builder()
              .setLabel(file.toString())
              .setUseMarks(true)
              .setSchema(new CoreSchema())
              .setBufferSize(PlanReader.READ_BUFFER)
              .build();
      Optional<Node> parsed = new Compose(settings).composeString(Files.readString(file));
      if (parsed.isPresent()
          && parsed.get() instanceof MappingNode map
          && map.getValue().stream()
              .anyMatch(
                  t ->
                      t.getKeyNode() instanceof ScalarNode k
                          && k.getValue().equals("releases")
                          && t.getValueNode() instanceof SequenceNode)) {
        root = map;
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
    } catch (java.nio.charset.CharacterCodingException e) {
      problems.error(
          Location.of(file), "", "is not UTF-8 text: not a planfile written by deployer");
    } catch (IOException e) {
      problems.error(Location.of(file), "", "cannot read: " + e.getMessage());
    } catch (RuntimeException e) {
      problems.error(Location.of(file), "", "not valid YAML: " + e.getMessage());
    }
    problems.throwIfErrors();
    Planfile.Document content = Planfile.read(file, root, problems);
    problems.throwIfErrors();
    return new PlanDirectory(dir, content);
  }

  public Path dir() {
    return dir;
  }

  /** The planfile as read. */
  public Planfile.Document planfile() {
    return planfile;
  }

  /** Each release as the planfile and its manifest describe it, by unique name. */
  /**
   * Each release as the planfile and its manifest describe it, by unique name.
   *
   * @throws dev.deployer.core.plan.PlanException naming every manifest that is missing or cannot be
   *     read
   */
  public Map<String, ReleaseSnapshot> snapshots() {
    Problems problems = new Problems();
    Map<String, ReleaseSnapshot> out = new LinkedHashMap<>();
    List<Planfile.Entry> releases = planfile.releases();
    for (int i = 0; i < releases.size(); i++) {
      Planfile.Entry r = releases.get(i);
      Optional<String> manifest = read(r.manifest(), "releases[" + i + "].manifest", problems);
      manifest.ifPresent(
          m ->
              out.put(
                  r.uniqueName(),
                  new ReleaseSnapshot(
                      r.uniqueName(),
                      r.namespace(),
                      Optional.of(r.chart().version()).filter(v -> !v.isEmpty()),
                      m)));
    }
    problems.throwIfErrors();
    return out;
  }

  /** A file of this directory, or a problem at the planfile's {@code field} that names it. */
  private Optional<String> read(String relative, String field, Problems problems) {
    Path f = dir.resolve(relative);
    Location planfileLocation = Location.of(dir.resolve(PLANFILE));
    if (!Files.isRegularFile(f)) {
      problems.error(
          planfileLocation, field, relative + (Files.exists(f) ? " is not a file" : " is missing"));
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(f));
    } catch (java.nio.charset.CharacterCodingException e) {
      problems.error(planfileLocation, field, relative + " is not UTF-8 text");
    } catch (IOException e) {
      problems.error(planfileLocation, field, relative + " cannot be read: " + e.getMessage());
    }
    return Optional.empty();
  }

  /**
   * Whether the manifests hold Helm test hooks ({@code build --include-tests}); when not, a
   * manifest compared with them (what a cluster has) must leave them out too.
   */
  public boolean includesTests() {
    return planfile.includeTests();
  }

  /** Each release's {@code deploy} section, by unique name. */
  public Map<String, Release.Deployment> deployOptions() {
    Map<String, Release.Deployment> out = new LinkedHashMap<>();
    for (Planfile.Entry r : planfile.releases()) {
      out.put(r.uniqueName(), r.deploy());
    }
    return out;
  }

  /** The command that uninstalls a release of this directory, as {@code helm} takes it. */
  public Optional<String> uninstallCommand(String uniqueName) {
    return planfile.releases().stream()
        .filter(r -> uniqueName.equals(r.uniqueName()))
        .findFirst()
        .map(
            r ->
                "helm uninstall "
                    + r.name()
                    + " --namespace "
                    + r.namespace()
                    + r.context().map(c -> " --kube-context " + c).orElse(""));
  }

  /**
   * The plan this directory describes, ready to deploy: charts from the directory (vendored) or the
   * local chart paths it records, values from its rendered files, dependencies by unique name.
   */
  public Plan plan() {
    Path file = dir.resolve(PLANFILE);
    Location here = Location.of(file);
    List<Release> releases = new ArrayList<>();
    for (Planfile.Entry r : planfile.releases()) {
      Path chartPath = dir.resolve(r.chart().path()).toAbsolutePath().normalize();
      Chart.Kind kind =
          Files.isDirectory(chartPath) ? Chart.Kind.LOCAL_DIRECTORY : Chart.Kind.ARCHIVE;
      Chart resolved =
          Chart.of(chartPath.toString(), kind, here)
              .withVersion(Optional.of(r.chart().version()).filter(v -> !v.isEmpty()))
              .withSkips(true, true);
      List<ValuesFile> values = new ArrayList<>();
      for (Planfile.ValuesEntry v : r.values()) {
        values.add(
            new ValuesFile(
                dir.resolve(v.file()).toAbsolutePath().normalize().toString(),
                true,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                here));
      }
      List<Dependency> deps = new ArrayList<>();
      for (String d : r.dependsOn()) {
        deps.add(new Dependency(Optional.of(d), Optional.empty(), false, here));
      }
      releases.add(
          Release.of(r.name(), r.namespace(), r.context(), resolved, here)
              .withValues(values)
              .withTags(r.tags())
              .withDependsOn(deps)
              .withMonitors(r.monitors())
              .withDeployment(r.deploy())
              .withOfflineKubeVersion(Optional.of(r.kubeVersion()).filter(v -> !v.isEmpty()))
              .withDescription(r.description())
              .withLifecycle(r.lifecycle()));
    }
    return new Plan(
        file,
        planfile.project(),
        Optional.empty(),
        List.of(),
        List.of(),
        planfile.monitors(),
        releases,
        planfile.lifecycle());
  }

  /** The plan file the directory was built from, when the planfile names one. */
  public Optional<Path> planFile() {
    return planfile.planFile().map(relative -> dir.resolve(relative).normalize());
  }

  /** The rendered manifest of a release of this directory. */
  public String manifest(String uniqueName) {
    Problems problems = new Problems();
    Optional<String> manifest =
        read(entry(uniqueName).manifest(), "releases." + uniqueName + ".manifest", problems);
    problems.throwIfErrors();
    return manifest.orElseThrow();
  }

  /** The cluster revision the release was diffed against at build time, when recorded. */
  public Optional<Integer> liveRevision(String uniqueName) {
    return entry(uniqueName).liveRevision();
  }

  private Planfile.Entry entry(String uniqueName) {
    return planfile.releases().stream()
        .filter(r -> uniqueName.equals(r.uniqueName()))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no release " + uniqueName + " in " + dir));
  }

  /**
   * Checks that the directory is complete: every file the planfile names exists and has the digest
   * it records. Problems are collected, not thrown.
   */
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
        && read(SUMMARY, "", problems)
            .filter(summary -> summary.contains("`" + FULL_SUMMARY + "` in the plan directory"))
            .isPresent()) {
      problems.error(Location.of(full), "", "missing (summary.md was cut and points to it)");
    }
    List<Planfile.Entry> releases = planfile.releases();
    for (int i = 0; i < releases.size(); i++) {
      Planfile.Entry r = releases.get(i);
      String field = "releases[" + i + "]";
      checkFile(problems, file, field + ".manifest", r.manifest(), r.manifestDigest());
      for (int v = 0; v < r.values().size(); v++) {
        Planfile.ValuesEntry entry = r.values().get(v);
        checkFile(problems, file, field + ".values[" + v + "]", entry.file(), entry.digest());
      }
      String path = r.chart().path();
      Path resolved = dir.resolve(path);
      if (!Files.exists(resolved)) {
        problems.error(Location.of(file), field + ".chart.path", "chart " + path + " is missing");
      } else if ("vendored".equals(r.chart().kind()) || "archive".equals(r.chart().kind())) {
        checkFile(problems, file, field + ".chart.path", path, r.chart().digest());
      } else if (!Hashing.sha256Tree(resolved).equals(r.chart().digest())) {
        problems.error(
            Location.of(file),
            field + ".chart",
            "local chart " + path + " changed since the build (digest differs)");
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
  public static String digestLine(String planfileContent) {
    return Hashing.sha256(planfileContent).substring("sha256:".length()) + "  " + PLANFILE + "\n";
  }

  /** A digest the planfile does not record is not checked; the planfile's own digest covers it. */
  private void checkFile(
      Problems problems, Path planfile, String field, String relative, String digest) {
    Path f = dir.resolve(relative);
    if (!Files.isRegularFile(f)) {
      problems.error(Location.of(planfile), field, relative + " is missing");
    } else if (!digest.isEmpty() && !Hashing.sha256(f).equals(digest)) {
      problems.error(
          Location.of(planfile), field, relative + " was changed after the build (digest differs)");
    }
  }
}
