package dev.deployer.core.graph;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseGraphTest {
  @TempDir Path dir;
  PlanFiles files;

  @BeforeEach
  void chart() {
    files = new PlanFiles(dir);
    files.chart("c");
  }

  private String file() {
    return dir.resolve("deployer.yml").toString();
  }

  @Test
  void oneRunReportsACycleAndAMissingDependency() {
    assertThat(
            files.problems(
                """
                releases:
                  - {name: alpha, namespace: x, chart: ./c}
                  - {name: bravo, namespace: x, chart: ./c, depends_on: [charlie]}
                  - {name: charlie, namespace: x, chart: ./c, depends_on: [delta]}
                  - {name: delta, namespace: x, chart: ./c, depends_on: [bravo@x]}
                  - {name: echo, namespace: x, chart: ./c, depends_on: [ghost, alpha]}
                """))
        .containsExactly(
            file()
                + ":3:58: releases[1].depends_on: dependency cycle: bravo@x -> charlie@x -> delta@x -> bravo@x",
            file()
                + ":6:57: releases[4].depends_on[0]: release \"ghost\" is not in the plan (required by echo@x)");
  }

  @Test
  void everyCycleIsReportedAndASelfDependencyIsOne() {
    assertThat(
            files.problems(
                """
                releases:
                  - {name: a, chart: ./c, depends_on: [a]}
                  - {name: b, chart: ./c, depends_on: [c]}
                  - {name: c, chart: ./c, depends_on: [b]}
                """))
        .containsExactly(
            file() + ":2:40: releases[0].depends_on: dependency cycle: a@default -> a@default",
            file()
                + ":3:40: releases[1].depends_on: dependency cycle: b@default -> c@default -> b@default");
  }

  @Test
  void ordersReleasesAfterWhatTheyDependOnAndKeepsPlanOrderOtherwise() {
    ReleaseGraph graph =
        files
            .load(
                """
                releases:
                  - {name: web, namespace: shop, chart: ./c, depends_on: [api]}
                  - {name: api, namespace: shop, chart: ./c, depends_on: [db, {tag: cache}]}
                  - {name: metrics, namespace: ops, chart: ./c}
                  - {name: db, namespace: shop, chart: ./c}
                  - {name: redis, namespace: shop, chart: ./c, tags: [cache]}
                """)
            .graph();
    assertThat(names(graph.releases()))
        .containsExactly("metrics@ops", "db@shop", "redis@shop", "api@shop", "web@shop");
    Release api = graph.release("api@shop");
    assertThat(names(graph.dependenciesOf(api))).containsExactly("db@shop", "redis@shop");
    assertThat(names(graph.dependentsOf(api))).containsExactly("web@shop");
  }

  @Test
  void plainNamesPreferTheSameNamespaceAndAmbiguityIsAnError() {
    var graph =
        files
            .load(
                """
                releases:
                  - {name: db, namespace: a, chart: ./c}
                  - {name: db, namespace: b, chart: ./c}
                  - {name: api, namespace: b, chart: ./c, depends_on: [db]}
                """)
            .graph();
    assertThat(names(graph.dependenciesOf(graph.release("api@b")))).containsExactly("db@b");

    assertThat(
            files.problems(
                """
                releases:
                  - {name: db, namespace: a, chart: ./c}
                  - {name: db, namespace: b, chart: ./c}
                  - {name: api, namespace: c, chart: ./c, depends_on: [db]}
                """))
        .containsExactly(
            file()
                + ":4:56: releases[2].depends_on[0]: \"db\" matches several releases (db@a, db@b); write the unique name");
  }

  @Test
  void optionalDependenciesThatMatchNothingAreDroppedWithAWarning() {
    var graph =
        files
            .load(
                """
                releases:
                  - name: api
                    chart: ./c
                    depends_on: [{name: cache, optional: true}, {tag: infra, optional: true}]
                """)
            .graph();
    assertThat(graph.dependenciesOf(graph.release("api@default"))).isEmpty();
    assertThat(files.warnings())
        .containsExactly(
            file()
                + ":4:18: releases[0].depends_on[0]: release \"cache\" is not in the plan; optional dependency of api@default dropped",
            file()
                + ":4:49: releases[0].depends_on[1]: no other release has tag \"infra\"; optional dependency of api@default dropped");
  }

  private ReleaseGraph selectionPlan() {
    return files
        .load(
            """
            releases:
              - {name: db, chart: ./c, tags: [data]}
              - {name: queue, chart: ./c, tags: [data, async]}
              - {name: api, chart: ./c, tags: [backend], depends_on: [db]}
              - {name: worker, chart: ./c, tags: [backend, async], depends_on: [queue, api]}
              - {name: web, chart: ./c, tags: [frontend], depends_on: [api]}
            """)
        .graph();
  }

  @Test
  void selectingTagsBringsWhatTheyDependOn() {
    ReleaseGraph selected = selectionPlan().select(new Selection(List.of("frontend"), false, true));
    assertThat(names(selected.releases()))
        .containsExactly("db@default", "api@default", "web@default");
  }

  @Test
  void anyTagMatchesByDefaultAndEveryTagWithMatchAll() {
    ReleaseGraph graph = selectionPlan();
    assertThat(
            names(
                graph.select(new Selection(List.of("async", "frontend"), false, false)).releases()))
        .containsExactly("queue@default", "worker@default", "web@default");
    assertThat(
            names(graph.select(new Selection(List.of("async", "backend"), true, false)).releases()))
        .containsExactly("worker@default");
  }

  @Test
  void withoutDependenciesTheSelectionKeepsItsOrderThroughReleasesLeftOut() {
    ReleaseGraph selected =
        selectionPlan().select(new Selection(List.of("data", "frontend"), false, false));
    assertThat(names(selected.releases()))
        .containsExactly("db@default", "queue@default", "web@default");
    // web depends on db through api, which is left out: the order is kept.
    assertThat(names(selected.dependenciesOf(selected.release("web@default"))))
        .containsExactly("db@default");
  }

  @Test
  void formatsAsTextAndMermaid() {
    ReleaseGraph graph = selectionPlan().select(new Selection(List.of("frontend"), false, true));
    assertThat(GraphFormat.text(graph))
        .isEqualTo(
            """
            db@default
            api@default  <- db@default
            web@default  <- api@default
            3 releases, 2 dependencies
            """);
    assertThat(GraphFormat.mermaid(graph))
        .isEqualTo(
            """
            ```mermaid
            flowchart LR
              r0["db@default"]
              r1["api@default"]
              r2["web@default"]
              r0 --> r1
              r1 --> r2
            ```
            """);
  }

  @Test
  void tagDependenciesAreCheckedOnOneNodePerTagNotOneEdgePerPair() {
    // 10 layers of 100 releases, each depending on the whole layer before it through a tag.
    StringBuilder plan = new StringBuilder("releases:\n");
    for (int i = 0; i < 1000; i++) {
      int layer = i / 100;
      plan.append("  - {name: r")
          .append(i)
          .append(", chart: ./c, tags: [layer")
          .append(layer)
          .append("]")
          .append(layer > 0 ? ", depends_on: [{tag: layer" + (layer - 1) + "}]" : "")
          .append("}\n");
    }
    ReleaseGraph graph = files.load(plan.toString()).graph();

    assertThat(graph.edgeCount()).isEqualTo(900 * 100);
    // 900 releases -> their tag's node, and each tag's node -> its 100 releases.
    assertThat(graph.checkedEdgeCount()).isEqualTo(900 + 1000);
    assertThat(names(graph.dependenciesOf(graph.release("r500@default"))))
        .hasSize(100)
        .startsWith("r400@default", "r401@default")
        .endsWith("r499@default");
    assertThat(names(graph.releases()).subList(0, 3))
        .containsExactly("r0@default", "r1@default", "r2@default");
  }

  @Test
  void aReleaseMayDependOnTheOthersOfItsOwnTagButTwoSuchFormACycle() {
    ReleaseGraph graph =
        files
            .load(
                """
                releases:
                  - {name: hub, chart: ./c, tags: [mesh], depends_on: [{tag: mesh}]}
                  - {name: a, chart: ./c, tags: [mesh]}
                  - {name: b, chart: ./c, tags: [mesh]}
                """)
            .graph();
    assertThat(names(graph.releases())).containsExactly("a@default", "b@default", "hub@default");
    assertThat(names(graph.dependenciesOf(graph.release("hub@default"))))
        .containsExactly("a@default", "b@default");

    assertThat(
            files.problems(
                """
                releases:
                  - {name: a, chart: ./c, tags: [mesh], depends_on: [{tag: mesh}]}
                  - {name: b, chart: ./c, tags: [mesh], depends_on: [{tag: mesh}]}
                """))
        .containsExactly(
            file()
                + ":2:54: releases[0].depends_on: dependency cycle: a@default -> b@default -> a@default");
  }

  @Test
  void aCycleThroughATagIsReportedAsItsPathOfReleases() {
    assertThat(
            files.problems(
                """
                releases:
                  - {name: db, chart: ./c, tags: [data], depends_on: [api]}
                  - {name: cache, chart: ./c, tags: [data]}
                  - {name: api, chart: ./c, depends_on: [{tag: data}]}
                """))
        .containsExactly(
            file()
                + ":2:55: releases[0].depends_on: dependency cycle: db@default -> api@default -> db@default");
  }

  private static List<String> names(List<Release> releases) {
    return releases.stream().map(Release::uniqueName).toList();
  }
}
