package dev.deployer.app;

import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.helm.ReleaseRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer history RELEASE}: Helm's revisions of one release of the plan. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description =
        "Show the revisions Helm recorded for one release of the plan: revision, status, chart, app version, when, description.")
final class HistoryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanSourceOptions plan;
  @Mixin KubeOptions kube;

  @Parameters(
      paramLabel = "RELEASE",
      description = "The release: its name, or name@namespace when several share the name.")
  String release;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "table",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  StatusTable.Format format;

  @Override
  public Integer call() {
    var env = kube.environment(DeployerCommand.environment(spec));
    var loaded = plan.load(spec);
    List<ReleaseRevision> revisions;
    try (KubernetesCluster cluster = KubernetesCluster.create(env, kube.context())) {
      revisions = new Deployer(cluster, env).history(loaded.plan(), loaded.graph(), release);
    }
    var out = spec.commandLine().getOut();
    if (format != StatusTable.Format.table) {
      List<Map<String, Object>> items = new ArrayList<>();
      for (ReleaseRevision r : revisions) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("revision", r.revision());
        item.put("status", r.status().toString());
        item.put("chart", r.chart());
        item.put("app_version", r.appVersion());
        item.put("updated", r.lastDeployed().map(Object::toString).orElse(""));
        item.put("description", r.description());
        items.add(item);
      }
      format.printData(out, items);
      return ExitCodes.SUCCESS;
    }
    if (revisions.isEmpty()) {
      out.println(release + " is not installed");
      out.flush();
      return ExitCodes.SUCCESS;
    }
    List<Object[]> rows = new ArrayList<>();
    for (ReleaseRevision r : revisions) {
      rows.add(
          new Object[] {
            r.revision(),
            r.status(),
            r.chart(),
            r.appVersion().isEmpty() ? "-" : r.appVersion(),
            r.lastDeployed()
                .map(t -> t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString())
                .orElse("-"),
            r.description()
          });
    }
    out.print(
        Tables.render(
            new String[] {"REVISION", "STATUS", "CHART", "APP VERSION", "UPDATED", "DESCRIPTION"},
            rows.toArray(Object[][]::new)));
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
