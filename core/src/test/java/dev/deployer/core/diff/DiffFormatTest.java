package dev.deployer.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DiffFormatTest {
  static ReleaseSnapshot release(String name, String... configMaps) {
    StringBuilder manifest = new StringBuilder();
    for (String data : configMaps) {
      manifest
          .append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ")
          .append(name.replaceAll("@.*", ""))
          .append("\ndata:\n")
          .append(data);
    }
    return new ReleaseSnapshot(name, "shop", Optional.of("1.0.0"), manifest.toString());
  }

  static String lines(String prefix, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append("  ").append(prefix).append(i).append(": value ").append(prefix).append('\n');
    }
    return sb.toString();
  }

  PlanDiff diff() {
    Map<String, ReleaseSnapshot> before =
        Map.of(
            "big@shop", release("big@shop", lines("old", 3000)),
            "small@shop", release("small@shop", "  level: info\n"),
            "same@shop", release("same@shop", "  x: y\n"),
            "gone@shop", release("gone@shop", "  x: y\n"));
    Map<String, ReleaseSnapshot> after =
        Map.of(
            "big@shop", release("big@shop", lines("new", 3000)),
            "small@shop", release("small@shop", "  level: debug\n"),
            "same@shop", release("same@shop", "  x: y\n"));
    return new Differ(false)
        .diff(before, after)
        .withDeployChanges(Map.of("same@shop", List.of("timeout: 5m -> 10m")));
  }

  @Test
  void aSummaryOverTheLimitKeepsTheTableAndTheSmallDiffsAndPointsToTheWholeOne() {
    DiffFormat.Summary summary =
        DiffFormat.summary(
            "shop: plan changes",
            diff(),
            Map.of("gone@shop", "helm uninstall gone --namespace shop"),
            DiffFormat.SUMMARY_LIMIT);

    assertThat(summary.cut()).isTrue();
    assertThat(summary.full().length()).isGreaterThan(120_000);
    assertThat(summary.text().length()).isLessThanOrEqualTo(DiffFormat.SUMMARY_LIMIT);
    assertThat(summary.text())
        .contains(
            "> **Cut to fit a pull-request comment** (60,000 characters): the diffs of 1 release"
                + " are left out. `summary-full.md` in the plan directory has everything.")
        .contains(
            "| `big@shop` | changed | 1.0.0 | 1.0.0 | 0/1/0 |\n"
                + "| `gone@shop` | left installed | 1.0.0 | - | 0/0/1 |\n"
                + "| `same@shop` | changed | 1.0.0 | 1.0.0 | 0/0/0 |\n"
                + "| `small@shop` | changed | 1.0.0 | 1.0.0 | 0/1/0 |\n")
        .contains(
            "## Left installed\n\nNo longer in the plan, but `up` never uninstalls a release;"
                + " each stays in its cluster until it is removed:\n\n"
                + "- `gone@shop`: `helm uninstall gone --namespace shop`\n")
        .contains("## `same@shop`: changed\n\n- deploy option `timeout: 5m -> 10m`\n")
        .contains("-  level: info\n+  level: debug")
        // The big diff would not fit, but its list does.
        .contains("## `big@shop`: changed\n\n- changed `ConfigMap/shop/big`\n\nThe diff is in")
        .doesNotContain("old2999");
    assertThat(summary.full())
        .contains("-  old2999: value old", "+  new2999: value new", "-  level: info")
        .doesNotContain("Cut to fit");
  }

  @Test
  void aSummaryWithinTheLimitIsWhole() {
    DiffFormat.Summary summary =
        DiffFormat.summary("shop: plan changes", diff(), Map.of(), 1_000_000);
    assertThat(summary.cut()).isFalse();
    assertThat(summary.text()).isSameAs(summary.full()).contains("+  new2999: value new");
  }

  @Test
  void theTextDiffNamesDeployOptionsAndReleasesLeftInstalled() {
    assertThat(DiffFormat.text(diff()))
        .contains("=== gone@shop: removed from the plan, left installed\n")
        .contains("=== same@shop: changed\ndeploy option timeout: 5m -> 10m\n")
        .endsWith("0 added, 3 changed, 1 removed, 0 unchanged\n");
  }
}
