package dev.deployer.app;

import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.helm.ReleaseRevision;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The live state of a plan's releases, as a table, JSON or YAML; for {@code status} and {@code
 * list}.
 */
final class StatusTable {
  enum Format {
    table,
    json,
    yaml;

    /** Prints {@code value} as JSON or YAML; false for {@code table}, which each command draws. */
    boolean printData(java.io.PrintWriter out, Object value) {
      switch (this) {
        case json -> Tables.printJson(out, value);
        case yaml -> Tables.printYaml(out, value);
        default -> {
          return false;
        }
      }
      return true;
    }
  }

  private StatusTable() {}

  static int print(
      CommandSpec spec,
      PlanSourceOptions plan,
      SelectionOptions selection,
      KubeOptions kube,
      Format format,
      boolean withDescription) {
    var env = kube.environment(DeployerCommand.environment(spec));
    var loaded = plan.load(spec);
    Map<String, Optional<ReleaseRevision>> states;
    try (KubernetesCluster cluster = KubernetesCluster.create(env, kube.context())) {
      states = new Deployer(cluster, env).status(loaded.graph().select(selection.selection()));
    }
    var out = spec.commandLine().getOut();
    if (format != Format.table) {
      List<Map<String, Object>> items = new ArrayList<>();
      states.forEach(
          (name, live) -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("release", name);
            item.put("installed", live.isPresent());
            live.ifPresent(
                l -> {
                  item.put("revision", l.revision());
                  item.put("status", l.status().toString());
                  item.put("chart", l.chart());
                  item.put("app_version", l.appVersion());
                  item.put("updated", l.lastDeployed().map(Object::toString).orElse(""));
                  item.put("description", l.description());
                });
            items.add(item);
          });
      format.printData(out, items);
      return ExitCodes.SUCCESS;
    }
    List<Object[]> rows = new ArrayList<>();
    states.forEach(
        (name, live) -> {
          List<Object> row = new ArrayList<>();
          row.add(name);
          row.add(live.map(l -> String.valueOf(l.revision())).orElse("-"));
          row.add(live.map(l -> l.status().toString()).orElse("not installed"));
          row.add(live.map(ReleaseRevision::chart).orElse("-"));
          row.add(live.map(ReleaseRevision::appVersion).orElse("-"));
          row.add(live.map(l -> l.lastDeployed().map(Object::toString).orElse("")).orElse("-"));
          if (withDescription) {
            row.add(live.map(ReleaseRevision::description).orElse(""));
          }
          rows.add(row.toArray());
        });
    List<String> headers =
        new ArrayList<>(
            List.of("RELEASE", "REVISION", "STATUS", "CHART", "APP VERSION", "UPDATED"));
    if (withDescription) {
      headers.add("DESCRIPTION");
    }
    out.print(Tables.render(headers.toArray(String[]::new), rows.toArray(Object[][]::new)));
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
