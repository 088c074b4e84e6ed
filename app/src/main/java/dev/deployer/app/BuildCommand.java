package dev.deployer.app;

import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.BuildResult;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.diff.DiffFormat;
import dev.deployer.core.helm.NativeHelmEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer build}: writes the reviewable plan directory. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description =
        "Resolve the plan into a plan directory: pinned charts, rendered values and manifests, a diff.")
final class BuildCommand implements Callable<Integer> {
  enum Mode {
    none,
    local,
    live
  }

  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;
  @Mixin SelectionOptions selection;
  @Mixin KubeOptions kube;

  @Mixin PlanDirOptions planDirOptions;
  @Mixin HelmwaveFlags helmwaveFlags;

  @Option(
      names = "--parallel-limit",
      paramLabel = "N",
      converter = OptionTypes.Positive.class,
      description = "Releases rendered at once (default: the number of cores).")
  Integer parallelLimit;

  @Option(
      names = "--diff-mode",
      paramLabel = "MODE",
      description =
          "${COMPLETION-CANDIDATES}: compare with the plan directory being replaced (local; the default when one exists) or not at all.")
  Mode diffMode;

  @Option(
      names = "--show-secrets",
      description = "Show Secret values in the diff (summary.md stays redacted).")
  boolean showSecrets;

  @Option(
      names = "--kube-version-from-cluster",
      description =
          "Render each release for its cluster's Kubernetes version (when the kubeconfig reaches it"
              + " within 3 s) instead of its offline_kube_version or 1.31.0.")
  boolean kubeVersionFromCluster;

  @Option(
      names = "--include-tests",
      description =
          "Keep Helm test hooks (helm.sh/hook: test) in the manifests and the summary; they are"
              + " left out by default, as up does not deploy them.")
  boolean includeTests;

  @Override
  public Integer call() {
    Console console = Console.of(spec);
    BuildRequest request =
        new BuildRequest(
            plan.planFile(),
            planDirOptions.planDir,
            selection.selection(),
            parallelLimit != null ? parallelLimit : Runtime.getRuntime().availableProcessors(),
            diffMode == null
                ? null
                : BuildRequest.DiffMode.valueOf(diffMode.name().toUpperCase(java.util.Locale.ROOT)),
            showSecrets,
            kubeVersionFromCluster,
            includeTests);
    var env = kube.environment(DeployerCommand.environment(spec));
    BuildResult result;
    if (diffMode == Mode.live) {
      try (var cluster = dev.deployer.core.deploy.KubernetesCluster.create(env, kube.context())) {
        result =
            new PlanBuilder(
                    NativeHelmEngine.shared(),
                    new ChartFetcher(),
                    env,
                    kube.context(),
                    java.util.Optional.<dev.deployer.core.builder.LiveReleases>of(cluster))
                .build(request, console);
      }
    } else {
      result =
          new PlanBuilder(NativeHelmEngine.shared(), new ChartFetcher(), env, kube.context())
              .build(request, console);
    }
    print(spec, console, result);
    return ExitCodes.SUCCESS;
  }

  /**
   * What a build shows on standard output: its diff (unless there was none to make) and the line
   * naming the plan directory. {@code up --build} shows the same before it deploys.
   */
  static void print(CommandSpec spec, Console console, BuildResult result) {
    var out = spec.commandLine().getOut();
    if (result.diffMode() != BuildRequest.DiffMode.NONE) {
      out.print(console.colorDiff(DiffFormat.text(result.diff())));
    }
    out.printf(
        "built %s: %d %s%n",
        result.planDir(),
        result.releases().size(),
        result.releases().size() == 1 ? "release" : "releases");
    out.flush();
  }
}
