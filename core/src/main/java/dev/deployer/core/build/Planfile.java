package dev.deployer.core.build;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.plan.GoDuration;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.MonitorRef;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Release;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * The resolved plan as YAML: sorted keys, releases sorted by unique name, no timestamps and no
 * absolute paths, so that the same inputs give the same bytes.
 */
final class Planfile {
  static final String FORMAT = "deployer.dev/planfile/v1";

  /** Credentials never written to the planfile unless they are environment references. */
  private static final Set<String> SECRET_FIELDS = Set.of("password", "bearer_token", "api_key");

  private Planfile() {}

  /**
   * Refuses a plan whose monitors, those the planfile would hold, keep a credential as literal
   * text: a planfile is reviewed, committed and copied between CI stages, so it never holds one.
   *
   * @throws dev.deployer.core.plan.PlanException naming each, at its file:line and field, with the
   *     {@code ${env:NAME}} to write instead
   */
  static void refuseLiteralSecrets(Plan plan, ReleaseGraph graph) {
    Set<String> used = new java.util.TreeSet<>();
    graph.releases().forEach(r -> r.monitors().forEach(m -> used.add(m.name())));
    List<dev.deployer.core.plan.Problem> refused = new ArrayList<>();
    for (Monitor m : plan.monitors()) {
      if (used.contains(m.name())) {
        for (dev.deployer.core.plan.Problem p : m.literalSecrets()) {
          refused.add(
              new dev.deployer.core.plan.Problem(
                  p.location(),
                  p.field(),
                  "build keeps credentials out of the planfile, and this " + p.message()));
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new dev.deployer.core.plan.PlanException(refused);
    }
  }

  static String yaml(
      Plan plan,
      ReleaseGraph graph,
      List<PlanBuilder.BuiltRelease> built,
      Path planDir,
      Map<String, Integer> liveRevisions,
      boolean includeTests) {
    Map<String, Object> root = new TreeMap<>();
    root.put("format", FORMAT);
    // Whether the manifests hold Helm test hooks: a comparison with a cluster leaves them out too.
    root.put("include_tests", includeTests);
    root.put("project", plan.project());
    root.put("plan_file", PlanBuilder.relative(planDir, plan.file()));
    List<Object> releases = new ArrayList<>();
    for (PlanBuilder.BuiltRelease b : built) {
      Map<String, Object> entry = release(b, graph);
      Integer revision = liveRevisions.get(b.release().uniqueName());
      if (revision != null) {
        entry.put("live_revision", revision);
      }
      releases.add(entry);
    }
    root.put("releases", releases);
    Set<String> used = new java.util.TreeSet<>();
    built.forEach(b -> b.release().monitors().forEach(m -> used.add(m.name())));
    List<Object> monitors = new ArrayList<>();
    for (Monitor m : plan.monitors()) {
      if (used.contains(m.name())) {
        monitors.add(monitor(m, plan, planDir));
      }
    }
    monitors.sort(
        (a, b) ->
            String.valueOf(((Map<?, ?>) a).get("name"))
                .compareTo(String.valueOf(((Map<?, ?>) b).get("name"))));
    root.put("monitors", monitors);
    root.put("lifecycle", lifecycle(plan.lifecycle()));
    DumpSettings settings =
        DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setWidth(120)
            .setDereferenceAliases(true)
            .build();
    return new Dump(settings).dumpToString(root);
  }

  private static Map<String, Object> release(PlanBuilder.BuiltRelease b, ReleaseGraph graph) {
    Release r = b.release();
    Map<String, Object> out = new TreeMap<>();
    out.put("unique_name", r.uniqueName());
    out.put("name", r.name());
    out.put("namespace", r.namespace());
    r.context().ifPresent(c -> out.put("context", c));
    r.description().ifPresent(d -> out.put("description", d));
    Map<String, Object> chart = new TreeMap<>();
    chart.put("kind", b.chart().kind());
    chart.put("source", b.chart().source());
    chart.put("name", b.chart().name());
    chart.put("version", b.chart().version());
    chart.put("digest", b.chart().digest());
    chart.put("path", b.chart().path());
    // Why a vendored chart has this version: what the plan asked for, and where it was found.
    if (!b.chart().constraint().isEmpty()) {
      chart.put("constraint", b.chart().constraint());
      chart.put("repository", b.chart().repository());
    }
    out.put("chart", chart);
    List<Object> values = new ArrayList<>();
    for (PlanBuilder.ValuesEntry v : b.values()) {
      values.add(
          new TreeMap<>(Map.of("source", v.source(), "file", v.file(), "digest", v.digest())));
    }
    out.put("values", values);
    out.put("tags", r.tags().stream().sorted().toList());
    out.put(
        "depends_on", graph.dependenciesOf(r).stream().map(Release::uniqueName).sorted().toList());
    List<Object> monitors = new ArrayList<>();
    for (MonitorRef m : r.monitors()) {
      monitors.add(new TreeMap<>(Map.of("name", m.name(), "action", m.action().yamlName())));
    }
    out.put("monitors", monitors);
    out.put("deploy", plain(r.deployment()));
    out.put("kube_version", b.kubeVersion());
    out.put("manifest", b.manifestPath());
    out.put("manifest_digest", b.manifestDigest());
    out.put("lifecycle", lifecycle(r.lifecycle()));
    return out;
  }

  /** A release's {@code deploy} section as a planfile holds it once read back. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> deploy(Release release) {
    DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
    String yaml = new Dump(settings).dumpToString(plain(release.deployment()));
    return (Map<String, Object>)
        new org.snakeyaml.engine.v2.api.Load(
                org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
            .loadFromString(yaml);
  }

  /** The options that differ between two deploy sections, as {@code timeout: 5m -> 10m}. */
  static List<String> deployChanges(Map<String, Object> before, Map<String, Object> after) {
    Set<String> keys = new java.util.TreeSet<>(before.keySet());
    keys.addAll(after.keySet());
    List<String> out = new ArrayList<>();
    for (String key : keys) {
      Object b = before.get(key);
      Object a = after.get(key);
      if (!java.util.Objects.equals(b, a)) {
        out.add(key + ": " + (b == null ? "unset" : b) + " -> " + (a == null ? "unset" : a));
      }
    }
    return out;
  }

  private static Map<String, Object> monitor(Monitor m, Plan plan, Path planDir) {
    Map<String, Object> out = new TreeMap<>();
    out.put("name", m.name());
    out.put("type", m.type().yamlName());
    out.put("interval", GoDuration.format(m.interval()));
    out.put("iteration_timeout", GoDuration.format(m.iterationTimeout()));
    out.put("total_timeout", GoDuration.format(m.totalTimeout()));
    out.put("success_threshold", m.successThreshold());
    out.put("failure_threshold", m.failureThreshold());
    out.put("on_error", m.onError().yamlName());
    Map<String, Object> settings = plain((Record) m.probe());
    // Build refuses literal credentials; should one get here all the same, it is not written.
    if (settings.get("url") instanceof String url) {
      settings.put("url", dev.deployer.core.plan.MonitorSecrets.redactUrl(url));
    }
    if (settings.get("headers") instanceof Map<?, ?> headers) {
      Map<String, String> text = new TreeMap<>();
      headers.forEach((k, v) -> text.put(String.valueOf(k), String.valueOf(v)));
      settings.put("headers", dev.deployer.core.plan.MonitorSecrets.redactHeaders(text));
    }
    // up reads the planfile from the plan directory: a query file is found from there.
    if (settings.get("query_file") instanceof String file) {
      settings.put("query_file", PlanBuilder.relative(planDir, plan.baseDir().resolve(file)));
    }
    out.put(m.type().yamlName(), settings);
    return out;
  }

  /** Build-time hooks have run; the planfile keeps those of later phases. */
  private static Map<String, Object> lifecycle(Lifecycle lifecycle) {
    Map<String, Object> out = new TreeMap<>();
    lifecycle
        .hooks()
        .forEach(
            (phase, hooks) -> {
              if (phase == Lifecycle.Phase.PRE_BUILD || phase == Lifecycle.Phase.POST_BUILD) {
                return;
              }
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

  /** A record as a sorted map with snake_case keys; empty optionals are left out. */
  private static Map<String, Object> plain(Record record) {
    Map<String, Object> out = new TreeMap<>();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      Object value;
      try {
        value = c.getAccessor().invoke(record);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      String key = snake(c.getName().equals("waitStrategy") ? "wait" : c.getName());
      if (value instanceof Optional<?> o) {
        if (o.isEmpty()) {
          continue;
        }
        value = o.get();
      }
      if (SECRET_FIELDS.contains(key)
          && dev.deployer.core.plan.MonitorSecrets.isLiteral(String.valueOf(value))) {
        value = dev.deployer.core.plan.MonitorSecrets.REDACTED;
      }
      out.put(key, scalar(value));
    }
    return out;
  }

  private static Object scalar(Object value) {
    if (value instanceof Duration d) {
      return GoDuration.format(d);
    }
    if (value instanceof dev.deployer.core.plan.WaitStrategy w) {
      return w.helmName();
    }
    if (value instanceof Enum<?> e) {
      return e.name().toLowerCase(Locale.ROOT);
    }
    if (value instanceof Map<?, ?> m) {
      Map<String, Object> sorted = new TreeMap<>();
      m.forEach((k, v) -> sorted.put(String.valueOf(k), scalar(v)));
      return sorted;
    }
    if (value instanceof Collection<?> c) {
      return c.stream().map(Planfile::scalar).toList();
    }
    return value;
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
  }
}
