package dev.deployer.core.builder;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.RenderException;
import dev.deployer.core.helm.RenderRequest;
import dev.deployer.core.plan.Chart;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.ValuesFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code deployer lint}: Helm's chart lint of each release's local chart with its values, then the
 * deploy-robustness checks on what it renders ({@link RobustnessChecks}).
 */
public final class PlanLinter {
  private final HelmEngine engine;

  public PlanLinter(HelmEngine engine) {
    this.engine = engine;
  }

  /**
   * A finding of the lint.
   *
   * @param path the chart file it is about, or the resource, when known
   */
  public record Finding(String release, HelmEngine.Severity severity, String path, String message) {
    public boolean isError() {
      return severity == HelmEngine.Severity.ERROR;
    }

    @Override
    public String toString() {
      return release + ": " + severity + ": " + (path.isEmpty() ? "" : path + ": ") + message;
    }
  }

  /** Lints the selected releases of a plan, in plan order. */
  public List<Finding> lint(Plan plan, ReleaseGraph graph) {
    List<Finding> out = new ArrayList<>();
    for (Release r : graph.releases()) {
      String name = r.uniqueName();
      Chart.Kind kind = r.chart().kind();
      if (kind != Chart.Kind.LOCAL_DIRECTORY && kind != Chart.Kind.ARCHIVE) {
        out.add(
            new Finding(
                name,
                HelmEngine.Severity.INFO,
                "",
                "remote chart "
                    + r.chart().name()
                    + ": not linted here; build the plan and its warnings check what it renders"));
        continue;
      }
      Path chart = plan.baseDir().resolve(r.chart().name()).normalize();
      List<Path> values = new ArrayList<>();
      for (ValuesFile v : r.values()) {
        Path file = plan.baseDir().resolve(v.src());
        if (Files.isRegularFile(file)) {
          values.add(file);
        }
      }
      RenderRequest request =
          new RenderRequest(
              r.name(),
              r.namespace(),
              chart,
              values,
              r.offlineKubeVersion().orElse(null),
              r.deployment().postRenderer());
      for (HelmEngine.LintFinding f : engine.lint(request)) {
        out.add(new Finding(name, f.severity(), f.path(), f.message()));
      }
      try {
        String manifest = engine.render(request);
        List<String> findings = new ArrayList<>(RobustnessChecks.check(manifest, r.namespace()));
        findings.addAll(
            RobustnessChecks.unstableAnnotations(manifest, engine.render(request), r.namespace()));
        findings.forEach(f -> out.add(new Finding(name, HelmEngine.Severity.WARNING, "", f)));
      } catch (RenderException e) {
        out.add(new Finding(name, HelmEngine.Severity.ERROR, "", e.helmMessage()));
      }
    }
    return out;
  }
}
