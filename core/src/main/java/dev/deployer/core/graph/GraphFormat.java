package dev.deployer.core.graph;

import dev.deployer.core.plan.Release;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Text forms of a release graph: for a terminal, and Mermaid for Markdown pages. */
public final class GraphFormat {
  private GraphFormat() {}

  /** One line per release in deploy order, with what it waits for: {@code api@shop <- db@shop}. */
  public static String text(ReleaseGraph graph) {
    StringBuilder sb = new StringBuilder();
    int width = graph.releases().stream().mapToInt(r -> r.uniqueName().length()).max().orElse(0);
    for (Release r : graph.releases()) {
      List<Release> deps = graph.dependenciesOf(r);
      sb.append(r.uniqueName());
      if (!deps.isEmpty()) {
        sb.append(" ".repeat(width - r.uniqueName().length()))
            .append("  <- ")
            .append(deps.stream().map(Release::uniqueName).collect(Collectors.joining(", ")));
      }
      sb.append('\n');
    }
    sb.append(graph.size())
        .append(graph.size() == 1 ? " release, " : " releases, ")
        .append(graph.edgeCount())
        .append(graph.edgeCount() == 1 ? " dependency" : " dependencies")
        .append('\n');
    return sb.toString();
  }

  /** A fenced Mermaid flowchart, arrows from a release to those that depend on it. */
  public static String mermaid(ReleaseGraph graph) {
    StringBuilder sb = new StringBuilder("```mermaid\nflowchart LR\n");
    Map<String, String> ids = new HashMap<>();
    int n = 0;
    for (Release r : graph.releases()) {
      String id = "r" + n++;
      ids.put(r.uniqueName(), id);
      sb.append("  ").append(id).append("[\"").append(r.uniqueName()).append("\"]\n");
    }
    for (Release r : graph.releases()) {
      for (Release dep : graph.dependenciesOf(r)) {
        sb.append("  ")
            .append(ids.get(dep.uniqueName()))
            .append(" --> ")
            .append(ids.get(r.uniqueName()))
            .append('\n');
      }
    }
    return sb.append("```\n").toString();
  }
}
