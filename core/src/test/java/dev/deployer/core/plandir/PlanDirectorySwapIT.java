package dev.deployer.core.plandir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deployer.core.PlanFiles;
import dev.deployer.core.TestFiles;
import dev.deployer.core.builder.BuildFailedException;
import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.BuildResult;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.graph.Selection;
import dev.deployer.core.helm.NativeHelmEngine;
import dev.deployer.core.plan.PlanException;
import dev.deployer.core.plan.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A build killed at any moment of its swap leaves a plan directory the next build completes: the
 * kill is simulated by stopping {@link PlanDirectorySwap#replace} after each of its steps, leaving
 * what a killed process leaves (no cleanup runs), and then real builds run.
 */
@Timeout(120)
class PlanDirectorySwapIT {
  @TempDir Path dir;
  PlanFiles files;
  Path plan;
  Path plans;
  Path target;

  /** What a kill leaves: nothing after the step runs, no finally block of the build. */
  static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @BeforeEach
  void setUp() {
    files = new PlanFiles(dir);
    files.chart("c");
    files.write(
        "c/templates/all.yaml",
        """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          level: {{ .Values.level }}
        ---
        apiVersion: v1
        kind: Secret
        metadata:
          name: creds
        stringData:
          password: {{ .Values.password }}
        """);
    plan =
        files.write(
            "deployer.yml", "releases:\n  - {name: app, chart: ./c, values: [values.yml]}\n");
    plans = dir.resolve("plans");
    target = plans.resolve("plan");
  }

  BuildResult build(Path planDir, String level) {
    files.write("values.yml", "level: " + level + "\npassword: pw-" + level + "\n");
    return new PlanBuilder(
            NativeHelmEngine.shared(), new ChartFetcher(), Map.of(), Optional.empty())
        .build(new BuildRequest(plan, planDir, Selection.ALL, 1, null, false), e -> {});
  }

  /** Builds {@code level} into a staging directory of {@code target}, then swaps until killed. */
  void killedAfter(PlanDirectorySwap.Step step, String level) throws IOException {
    Path scratch = plans.resolve("scratch");
    build(scratch, level);
    PlanDirectorySwap swap =
        PlanDirectorySwap.open(
            target,
            done -> {
              if (done == step) {
                throw new Killed();
              }
            });
    try {
      Path staging = swap.createStaging();
      TestFiles.copyTree(scratch, staging);
      PlanDirectorySwap.deleteTree(scratch);
      assertThatThrownBy(() -> swap.replace(staging)).isInstanceOf(Killed.class);
    } finally {
      swap.close(); // the OS releases a killed process's lock
    }
    // A killed build leaves its lock file.
    Files.writeString(plans.resolve(".plan.lock"), "4242-1\n");
  }

  List<String> problems(Path planDir) {
    Problems problems = new Problems();
    PlanDirectory.open(planDir).check(problems);
    return problems.errors().stream().map(Object::toString).toList();
  }

  List<String> leftovers() throws IOException {
    try (Stream<Path> list = Files.list(plans)) {
      return list.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
    }
  }

  String level(Path planDir) throws IOException {
    String manifest = Files.readString(planDir.resolve("manifests/app@default.yml"));
    return manifest.replaceAll("(?s).*level: (\\S+).*", "$1");
  }

  @ParameterizedTest
  @EnumSource(PlanDirectorySwap.Step.class)
  void aBuildKilledAfterEachStepOfTheSwapIsPutRightByTheNextBuild(PlanDirectorySwap.Step step)
      throws IOException {
    build(target, "old");
    killedAfter(step, "new");

    // What the kill left: the old directory set aside, or the new one in place.
    if (step == PlanDirectorySwap.Step.OLD_SET_ASIDE) {
      assertThat(target).doesNotExist();
      assertThat(problems(plans.resolve(".plan.replaced"))).isEmpty();
      // up and validate say what happened and what to do.
      PlanException e = catchThrowableOfType(PlanException.class, () -> PlanDirectory.open(target));
      assertThat(e.problems())
          .singleElement()
          .hasToString(
              target.resolve("planfile")
                  + ": no planfile: a build was killed while it swapped in a new plan directory;"
                  + " the previous one is .plan.replaced beside it: run build again, or rename it"
                  + " back");
    } else {
      assertThat(problems(target)).isEmpty();
      assertThat(level(target)).isEqualTo("new");
    }
    assertThat(leftovers()).isNotEmpty();

    // The next build puts it right before anything else, even when it then fails.
    catchThrowableOfType(BuildFailedException.class, () -> build(target, "${env:NOT_SET}"));
    String survivor = step == PlanDirectorySwap.Step.OLD_SET_ASIDE ? "old" : "new";
    assertThat(problems(target)).isEmpty();
    assertThat(level(target)).isEqualTo(survivor);
    assertThat(leftovers()).isEmpty();

    BuildResult result = build(target, "newer");
    assertThat(problems(target)).isEmpty();
    assertThat(level(target)).isEqualTo("newer");
    assertThat(Files.readString(target.resolve("summary.md")))
        .contains("-  level: " + survivor + "\n+  level: newer");
    assertThat(result.diff().releases())
        .singleElement()
        .extracting(r -> r.change())
        .isEqualTo(dev.deployer.core.diff.Change.CHANGED);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void stagingDirectoriesOfKilledBuildsAreDeletedWithTheSecretsTheyHold() throws IOException {
    build(target, "old");
    try (PlanDirectorySwap swap = PlanDirectorySwap.open(target)) {
      Path staging = swap.createStaging();
      Files.createDirectories(staging.resolve("values/app@default"));
      Files.writeString(staging.resolve("values/app@default/0.yml"), "password: pw-half\n");
    }
    Files.createDirectories(plans.resolve(".plan.building-12345/manifests"));
    assertThat(leftovers()).hasSize(2);
    // Siblings of other names are not the build's.
    Files.createDirectories(plans.resolve(".planets.building-1"));
    Files.createDirectories(plans.resolve("plan.building-keep"));

    build(target, "new");

    assertThat(leftovers()).containsExactly(".planets.building-1");
    assertThat(plans.resolve("plan.building-keep")).isDirectory();
    assertThat(problems(target)).isEmpty();
  }

  @Test
  void aSecondBuildOfTheSamePlanDirectoryAtOnceIsRefusedAndLeavesTheFirstAlone()
      throws IOException {
    build(target, "old");
    try (PlanDirectorySwap first = PlanDirectorySwap.open(target)) {
      Path staging = first.createStaging();
      PlanException e = catchThrowableOfType(PlanException.class, () -> build(target, "new"));
      assertThat(e.problems())
          .singleElement()
          .hasToString(
              target
                  + ": --plandir: another deployer build is writing this plan directory now (it"
                  + " holds .plan.lock); wait for it to end");
      assertThat(staging).isDirectory();
    }
    assertThat(level(target)).isEqualTo("old");
    build(target, "new");
    assertThat(level(target)).isEqualTo("new");
    assertThat(leftovers()).isEmpty();
  }
}
