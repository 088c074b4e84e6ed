package dev.deployer.core.builder;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Monitor;
import dev.deployer.core.plan.MonitorSecrets;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plandir.Planfile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a build puts in the planfile: the built releases with their charts and values, the monitors
 * they use as written (credentials redacted, query files relative to the plan directory), and the
 * hooks of the phases after the build. The planfile's own mapping is {@link Planfile}'s.
 */
final class PlanfileContent {
  private PlanfileContent() {}

  /**
   * Refuses a plan whose monitors, those the planfile would hold, keep a credential as literal
   * text: a planfile is reviewed, committed and copied between CI stages, so it never holds one.
   *
   * @throws dev.deployer.core.plan.PlanException naming each, at its file:line and field, with the
   *     {@code ${env:NAME}} to write instead
   */
  static void refuseLiteralSecrets(Plan plan, ReleaseGraph graph) {
    Set<String> used = new TreeSet<>();
    graph.releases().forEach(r -> r.monitors().forEach(m -> used.add(m.name())));
    List<Problem> refused = new ArrayList<>();
    for (Monitor m : plan.monitors()) {
      if (used.contains(m.name())) {
        for (Problem p : m.literalSecrets()) {
          refused.add(
              new Problem(
                  p.location(),
                  p.field(),
                  "build keeps credentials out of the planfile, and this " + p.message()));
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new PlanException(refused);
    }
  }

  /** What a build writes: the built releases, the monitors they use, the later hooks. */
  static Planfile.Document of(
      Plan plan,
      ReleaseGraph graph,
      List<PlanBuilder.BuiltRelease> built,
      Path planDir,
      Map<String, Integer> liveRevisions,
      boolean includeTests) {
    List<Planfile.Entry> releases = new ArrayList<>();
    for (PlanBuilder.BuiltRelease b : built) {
      Release r = b.release();
      releases.add(
          new Planfile.Entry(
              r.uniqueName(),
              r.name(),
              r.namespace(),
              r.context(),
              r.description(),
              b.chart().pinned(),
              b.values(),
              r.tags().stream().sorted().toList(),
              graph.dependenciesOf(r).stream().map(Release::uniqueName).sorted().toList(),
              r.monitors(),
              r.deployment(),
              b.kubeVersion(),
              b.manifestPath(),
              b.manifestDigest(),
              afterBuild(r.lifecycle()),
              Optional.ofNullable(liveRevisions.get(r.uniqueName()))));
    }
    Set<String> used = new TreeSet<>();
    built.forEach(b -> b.release().monitors().forEach(m -> used.add(m.name())));
    List<Monitor> monitors = new ArrayList<>();
    for (Monitor m : plan.monitors()) {
      if (used.contains(m.name())) {
        monitors.add(asWritten(m, plan, planDir));
      }
    }
    monitors.sort(Comparator.comparing(Monitor::name));
    return new Planfile.Document(
        includeTests,
        plan.project(),
        Optional.of(PlanBuilder.relative(planDir, plan.file())),
        releases,
        monitors,
        afterBuild(plan.lifecycle()));
  }

  /** Build-time hooks have run; the planfile keeps those of later phases. */
  private static Lifecycle afterBuild(Lifecycle lifecycle) {
    Map<Lifecycle.Phase, List<Lifecycle.Hook>> hooks = new EnumMap<>(Lifecycle.Phase.class);
    lifecycle
        .hooks()
        .forEach(
            (phase, list) -> {
              if (phase != Lifecycle.Phase.PRE_BUILD && phase != Lifecycle.Phase.POST_BUILD) {
                hooks.put(phase, list);
              }
            });
    return new Lifecycle(hooks);
  }

  /**
   * A monitor as the planfile keeps it. Build refuses literal credentials; should one get here all
   * the same, it is not written. {@code up} reads the planfile from the plan directory, so a query
   * file is found from there.
   */
  private static Monitor asWritten(Monitor m, Plan plan, Path planDir) {
    Monitor.Probe probe = m.probe();
    if (probe instanceof Monitor.PrometheusProbe p) {
      probe =
          new Monitor.PrometheusProbe(
              MonitorSecrets.redactUrl(p.url()),
              p.expr(),
              p.successMode(),
              p.username(),
              redacted(p.password()),
              redacted(p.bearerToken()),
              p.caFile(),
              p.insecure());
    } else if (probe instanceof Monitor.HttpProbe h) {
      probe =
          new Monitor.HttpProbe(
              MonitorSecrets.redactUrl(h.url()),
              h.method(),
              MonitorSecrets.redactHeaders(h.headers()),
              h.body(),
              h.expectedCodes(),
              h.bodyRegex(),
              h.insecure());
    } else if (probe instanceof Monitor.ElasticsearchProbe e) {
      probe =
          new Monitor.ElasticsearchProbe(
              MonitorSecrets.redactUrl(e.url()),
              e.index(),
              e.query(),
              e.queryFile().map(f -> PlanBuilder.relative(planDir, plan.baseDir().resolve(f))),
              e.maxCount(),
              e.username(),
              redacted(e.password()),
              e.insecure());
    } else if (probe instanceof Monitor.SentryProbe s) {
      probe =
          new Monitor.SentryProbe(
              MonitorSecrets.redactUrl(s.url()),
              redacted(s.apiKey()),
              s.organization(),
              s.project(),
              s.tags(),
              s.messageRegexp(),
              s.maxCount());
    }
    return m.withRedactedProbe(probe);
  }

  private static Optional<String> redacted(Optional<String> secret) {
    return secret.map(s -> MonitorSecrets.isLiteral(s) ? MonitorSecrets.REDACTED : s);
  }
}
