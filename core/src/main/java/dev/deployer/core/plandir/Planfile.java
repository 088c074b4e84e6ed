package dev.deployer.core.plandir;

import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.PlanReader;
import dev.deployer.core.plan.Problems;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.YamlFields;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * The resolved plan as YAML: sorted keys, releases sorted by unique name, no timestamps and no
 * absolute paths, so that the same inputs give the same bytes.
 *
 * <p>The planfile is one typed mapping both ways: {@link Document} and the records it holds are
 * what {@code build} writes and what a plan directory reads back, and each part's {@code write} and
 * {@code read} sit side by side below, so a field is added to both or to neither (the round trip
 * test writes every field, reads it and writes it again).
 */
public final class Planfile {
  public static final String FORMAT = "deployer.dev/planfile/v1";

  private Planfile() {}

  /**
   * One values file of a release, rendered into the plan directory.
   *
   * @param source the file the plan names
   * @param file the rendered copy, relative to the plan directory
   */
  public record ValuesEntry(String source, String file, String digest) {}

  /**
   * A whole planfile.
   *
   * @param planFile the plan file it was built from, relative to the plan directory
   * @param monitors the monitors its releases reference, sorted by name, as written: credentials
   *     redacted and query files relative to the plan directory
   * @param lifecycle the plan's hooks of the phases after the build
   */
  public record Document(
      boolean includeTests,
      String project,
      Optional<String> planFile,
      List<Entry> releases,
      List<Monitor> monitors,
      Lifecycle lifecycle) {
    public Document {
      releases = List.copyOf(releases);
      monitors = List.copyOf(monitors);
    }
  }

  /**
   * One release as the planfile holds it.
   *
   * @param dependsOn the unique names of the releases it depends on, sorted
   * @param monitors the monitors it references; their locations are not written
   * @param manifest the rendered manifest's path in the plan directory
   * @param lifecycle its hooks of the phases after the build
   * @param liveRevision the cluster revision the build diffed it against, when there was one
   */
  public record Entry(
      String uniqueName,
      String name,
      String namespace,
      Optional<String> context,
      Optional<String> description,
      Chart chart,
      List<ValuesEntry> values,
      List<String> tags,
      List<String> dependsOn,
      List<MonitorRef> monitors,
      Release.Deployment deploy,
      String kubeVersion,
      String manifest,
      String manifestDigest,
      Lifecycle lifecycle,
      Optional<Integer> liveRevision) {
    public Entry {
      values = List.copyOf(values);
      tags = List.copyOf(tags);
      dependsOn = List.copyOf(dependsOn);
      monitors = List.copyOf(monitors);
    }
  }

  /**
   * Where a release's chart came from and how it was pinned.
   *
   * @param kind {@code local}, {@code archive} or {@code vendored}
   * @param path the chart in or beside the plan directory, relative to it
   * @param constraint for a vendored chart, the version the plan asked for; empty for others
   * @param repository for a vendored chart, where it was found
   */
  public record Chart(
      String kind,
      String source,
      String name,
      String version,
      String digest,
      String path,
      String constraint,
      String repository) {}

  public static String write(Document d) {
    Map<String, Object> root = new TreeMap<>();
    root.put("format", FORMAT);
    // Whether the manifests hold Helm test hooks: a comparison with a cluster leaves them out too.
    root.put("include_tests", d.includeTests());
    root.put("project", d.project());
    d.planFile().ifPresent(f -> root.put("plan_file", f));
    root.put("releases", d.releases().stream().map(Planfile::writeEntry).toList());
    root.put("monitors", d.monitors().stream().map(Planfile::writeMonitor).toList());
    root.put("lifecycle", writeLifecycle(d.lifecycle()));
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setWidth(120)
            .setDereferenceAliases(true)
            .build();
    return new Dump(settings).dumpToString(root);
  }

  /**
   * Reads a planfile's root node. Every problem names the file, line and field, and goes to {@code
   * problems}; the document returned holds defaults where the file was wrong. Keys it does not know
   * are passed over, as they always were; the monitors are checked as a plan file's are.
   */
  public static Document read(Path file, Node root, Problems problems) {
    YamlFields f = YamlFields.lenient(file, problems, "", root);
    return new Document(
        f.bool("include_tests", false),
        f.string("project", ""),
        f.string("plan_file"),
        f.each("releases", (node, path) -> Optional.of(readEntry(file, problems, node, path))),
        f.each("monitors", (node, path) -> PlanReader.readMonitor(file, problems, node, path)),
        readLifecycle(file, problems, f, "lifecycle"));
  }

  // ---- one release ----

  private static Map<String, Object> writeEntry(Entry e) {
    Map<String, Object> out = new TreeMap<>();
    out.put("unique_name", e.uniqueName());
    out.put("name", e.name());
    out.put("namespace", e.namespace());
    e.context().ifPresent(c -> out.put("context", c));
    e.description().ifPresent(d -> out.put("description", d));
    out.put("chart", writeChart(e.chart()));
    List<Object> values = new ArrayList<>();
    for (ValuesEntry v : e.values()) {
      values.add(
          new TreeMap<>(Map.of("source", v.source(), "file", v.file(), "digest", v.digest())));
    }
    out.put("values", values);
    out.put("tags", e.tags());
    out.put("depends_on", e.dependsOn());
    List<Object> monitors = new ArrayList<>();
    for (MonitorRef m : e.monitors()) {
      monitors.add(new TreeMap<>(Map.of("name", m.name(), "action", m.action().yamlName())));
    }
    out.put("monitors", monitors);
    out.put("deploy", writeDeploy(e.deploy()));
    out.put("kube_version", e.kubeVersion());
    out.put("manifest", e.manifest());
    out.put("manifest_digest", e.manifestDigest());
    out.put("lifecycle", writeLifecycle(e.lifecycle()));
    e.liveRevision().ifPresent(r -> out.put("live_revision", r));
    return out;
  }

  private static Entry readEntry(Path file, Problems problems, Node node, String path) {
    YamlFields f = YamlFields.lenient(file, problems, path, node);
    Location here = Location.of(file);
    return new Entry(
        f.required("unique_name"),
        f.required("name"),
        f.required("namespace"),
        nonEmpty(f.string("context")),
        nonEmpty(f.string("description")),
        readChart(f.lenient("chart")),
        f.each(
            "values",
            (n, p) -> {
              YamlFields v = YamlFields.lenient(file, problems, p, n);
              return Optional.of(
                  new ValuesEntry(
                      v.string("source", ""), v.required("file"), v.string("digest", "")));
            }),
        f.strings("tags"),
        f.strings("depends_on"),
        f.each(
            "monitors",
            (n, p) -> {
              YamlFields m = YamlFields.lenient(file, problems, p, n);
              return Optional.of(
                  new MonitorRef(
                      m.required("name"),
                      m.enumValue("action", MonitorRef.Action.class, MonitorRef.Action.NONE),
                      here));
            }),
        PlanReader.readDeployment(f.lenient("deploy")),
        f.string("kube_version", ""),
        f.required("manifest"),
        f.string("manifest_digest", ""),
        readLifecycle(file, problems, f, "lifecycle"),
        f.has("live_revision")
            ? Optional.of((int) f.integer("live_revision", 0))
            : Optional.empty());
  }

  // ---- a release's chart ----

  private static Map<String, Object> writeChart(Chart c) {
    Map<String, Object> out = new TreeMap<>();
    out.put("kind", c.kind());
    out.put("source", c.source());
    out.put("name", c.name());
    out.put("version", c.version());
    out.put("digest", c.digest());
    out.put("path", c.path());
    // Why a vendored chart has this version: what the plan asked for, and where it was found.
    if (!c.constraint().isEmpty()) {
      out.put("constraint", c.constraint());
      out.put("repository", c.repository());
    }
    return out;
  }

  private static Chart readChart(YamlFields f) {
    return new Chart(
        f.string("kind", ""),
        f.string("source", ""),
        f.string("name", ""),
        f.string("version", ""),
        f.string("digest", ""),
        f.required("path"),
        f.string("constraint", ""),
        f.string("repository", ""));
  }

  // ---- a release's deploy options ----

  /** A release's {@code deploy} section, keyed and valued as the planfile writes it. */
  public static Map<String, Object> writeDeploy(Release.Deployment d) {
    Map<String, Object> out = new TreeMap<>();
    out.put("wait", d.waitStrategy().helmName());
    out.put("wait_for_jobs", d.waitForJobs());
    out.put("timeout", GoDuration.format(d.timeout()));
    out.put("atomic", d.atomic());
    out.put("create_namespace", d.createNamespace());
    out.put("max_history", d.maxHistory());
    out.put("pending_release_strategy", d.pendingReleaseStrategy().yamlName());
    out.put("allow_failure", d.allowFailure());
    out.put("cleanup_on_fail", d.cleanupOnFail());
    out.put("disable_hooks", d.disableHooks());
    out.put("disable_open_api_validation", d.disableOpenApiValidation());
    out.put("force", d.force());
    out.put("recreate", d.recreate());
    out.put("reset_values", d.resetValues());
    out.put("reuse_values", d.reuseValues());
    out.put("skip_crds", d.skipCrds());
    out.put("enable_dns", d.enableDns());
    out.put("show_notes", d.showNotes());
    out.put("sub_notes", d.subNotes());
    out.put("post_renderer", d.postRenderer());
    d.deletePropagation().ifPresent(p -> out.put("delete_propagation", p));
    out.put("rollout_restart", d.rolloutRestart());
    return out;
  }

  /** The options that differ between two deploy sections, as {@code timeout: 5m -> 10m}. */
  public static List<String> deployChanges(Release.Deployment before, Release.Deployment after) {
    Map<String, Object> b = writeDeploy(before);
    Map<String, Object> a = writeDeploy(after);
    Set<String> keys = new TreeSet<>(b.keySet());
    keys.addAll(a.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      Object was = b.get(key);
      Object is = a.get(key);
      if (!Objects.equals(was, is)) {
        out.add(key + ": " + (was == null ? "unset" : was) + " -> " + (is == null ? "unset" : is));
      }
    }
    return out;
  }

  // ---- a monitor: the plan file's own format, read back by the plan reader ----

  private static Map<String, Object> writeMonitor(Monitor m) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", m.name());
    out.put("type", m.type().yamlName());
    out.put("interval", GoDuration.format(m.interval()));
    out.put("iteration_timeout", GoDuration.format(m.iterationTimeout()));
    out.put("total_timeout", GoDuration.format(m.totalTimeout()));
    out.put("success_threshold", m.successThreshold());
    out.put("failure_threshold", m.failureThreshold());
    out.put("on_error", m.onError().yamlName());
    out.put(m.type().yamlName(), writeProbe(m.probe()));
    return out;
  }

  /** A probe's settings; each key is one that {@link PlanReader} reads for its type. */
  public static Map<String, Object> writeProbe(Monitor.Probe probe) {
    Map<String, Object> out = new TreeMap<>();
    if (probe instanceof Monitor.PrometheusProbe p) {
      out.put("url", p.url());
      out.put("expr", p.expr());
      out.put("success_mode", p.successMode().yamlName());
      p.username().ifPresent(v -> out.put("username", v));
      p.password().ifPresent(v -> out.put("password", v));
      p.bearerToken().ifPresent(v -> out.put("bearer_token", v));
      p.caFile().ifPresent(v -> out.put("ca_file", v));
      out.put("insecure", p.insecure());
    } else if (probe instanceof Monitor.HttpProbe h) {
      out.put("url", h.url());
      out.put("method", h.method());
      out.put("headers", new TreeMap<>(h.headers()));
      h.body().ifPresent(v -> out.put("body", v));
      out.put("expected_codes", h.expectedCodes());
      h.bodyRegex().ifPresent(v -> out.put("body_regex", v));
      out.put("insecure", h.insecure());
    } else if (probe instanceof Monitor.ElasticsearchProbe e) {
      out.put("url", e.url());
      e.index().ifPresent(v -> out.put("index", v));
      e.query().ifPresent(v -> out.put("query", v));
      e.queryFile().ifPresent(v -> out.put("query_file", v));
      out.put("max_count", e.maxCount());
      e.username().ifPresent(v -> out.put("username", v));
      e.password().ifPresent(v -> out.put("password", v));
      out.put("insecure", e.insecure());
    } else if (probe instanceof Monitor.SentryProbe s) {
      out.put("url", s.url());
      s.apiKey().ifPresent(v -> out.put("api_key", v));
      out.put("organization", s.organization());
      out.put("project", s.project());
      out.put("tags", new TreeMap<>(s.tags()));
      s.messageRegexp().ifPresent(v -> out.put("message_regexp", v));
      out.put("max_count", s.maxCount());
    } else if (probe instanceof Monitor.KubernetesProbe k) {
      out.put("max_restarts", k.maxRestarts());
      out.put("require_ready", k.requireReady());
      out.put("flap_window", GoDuration.format(k.flapWindow()));
    }
    return out;
  }

  // ---- hooks ----

  private static Map<String, Object> writeLifecycle(Lifecycle lifecycle) {
    Map<String, Object> out = new TreeMap<>();
    lifecycle
        .hooks()
        .forEach(
            (phase, hooks) -> {
              List<Object> list = new ArrayList<>();
              for (Lifecycle.Hook h : hooks) {
                list.add(
                    new TreeMap<>(
                        Map.of(
                            "cmd",
                            h.cmd(),
                            "args",
                            h.args(),
                            "show",
                            h.show(),
                            "allow_failure",
                            h.allowFailure())));
              }
              out.put(phase.yamlName(), list);
            });
    return out;
  }

  private static Lifecycle readLifecycle(
      Path file, Problems problems, YamlFields parent, String key) {
    YamlFields f = parent.lenient(key);
    Location here = Location.of(file);
    Map<Lifecycle.Phase, List<Lifecycle.Hook>> hooks = new EnumMap<>(Lifecycle.Phase.class);
    for (String name : f.keys()) {
      Optional<Lifecycle.Phase> phase =
          java.util.Arrays.stream(Lifecycle.Phase.values())
              .filter(p -> p.yamlName().equals(name))
              .findFirst();
      if (phase.isEmpty()) {
        f.error(name, "is not a phase hooks run in");
        continue;
      }
      hooks.put(
          phase.get(),
          f.each(
              name,
              (n, p) -> {
                YamlFields h = YamlFields.lenient(file, problems, p, n);
                return Optional.of(
                    new Lifecycle.Hook(
                        h.required("cmd"),
                        h.strings("args"),
                        h.bool("show", false),
                        h.bool("allow_failure", false),
                        here));
              }));
    }
    return new Lifecycle(hooks);
  }

  private static Optional<String> nonEmpty(Optional<String> value) {
    return value.filter(v -> !v.isEmpty());
  }
}
