package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.PlanFiles;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanChecksTest {
  @TempDir Path dir;

  @Test
  void reportsEveryProblemBetweenPartsOfThePlan() {
    PlanFiles files = new PlanFiles(dir);
    files.chart("charts/api");
    files.write("charts/empty/README.md", "not a chart");
    String file = dir.resolve("deployer.yml").toString();
    assertThat(
            files.problems(
                """
                repositories:
                  - {name: stable, url: https://a}
                  - {name: stable, url: https://b}
                monitors:
                  - {name: up, type: http, http: {url: http://x}}
                releases:
                  - name: api
                    chart: ./charts/api
                    values: [{src: values/prod.yml, strict: true}, values/extra.yml]
                    monitors: [up, {name: latency, action: rollback}]
                  - {name: api, chart: ./charts/api}
                  - {name: gone, chart: ./charts/gone}
                  - {name: empty, chart: ./charts/empty}
                  - {name: remote, chart: bitnami/redis}
                  - {name: packaged, chart: ./redis-1.0.0.tgz}
                """))
        .containsExactly(
            file
                + ":3:5: repositories[1]: repository \"stable\" is defined twice (first as repositories[0] at line 2)",
            file
                + ":9:14: releases[0].values[0]: values file \"values/prod.yml\" does not exist (strict)",
            file
                + ":10:20: releases[0].monitors[1]: monitor \"latency\" is not defined under monitors (defined: up)",
            file
                + ":11:5: releases[1]: release \"api@default\" is defined twice (first as releases[0] at line 7)",
            file
                + ":12:25: releases[2].chart: local chart directory \"./charts/gone\" does not exist",
            file
                + ":13:26: releases[3].chart: \"./charts/empty\" has no Chart.yaml, so it is not a chart",
            file
                + ":14:27: releases[4].chart: \"bitnami/redis\" is neither a local chart directory nor in a declared repository: add \"bitnami\" under repositories",
            file + ":15:29: releases[5].chart: chart archive \"./redis-1.0.0.tgz\" does not exist");
    assertThat(files.warnings())
        .containsExactly(
            file
                + ":9:52: releases[0].values[1]: values file \"values/extra.yml\" does not exist; skipped");
  }
}
