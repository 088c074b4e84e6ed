package dev.deployer.app;

import dev.deployer.core.builder.BuildRequest;
import dev.deployer.core.builder.BuildResult;
import dev.deployer.core.builder.PlanBuilder;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import dev.deployer.core.deploy.RollbackScope;
import dev.deployer.core.deploy.UpRequest;
import dev.deployer.core.helm.NativeHelmEngine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer up}: deploys a plan directory. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Deploy the plan directory: each release as soon as what it depends on has succeeded.",
      "Ctrl-C starts nothing new; Helm cancels what it runs and records it failed, never pending."
    })
final class UpCommand implements Callable<Integer> {
  enum Scope {
    none,
    plan
  }

  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;
  @Mixin SelectionOptions selection;
  @Mixin ProgressOptions progress;
  @Mixin Reports.FormatOption report;
  @Mixin KubeOptions kube;
  @Mixin DeployOptions deploy;

  @Mixin PlanDirOptions planDirOptions;
  @Mixin HelmwaveFlags helmwaveFlags;

  @Option(names = "--build", description = "Build the plan directory first, from the plan file.")
  boolean build;

  @Option(
      names = "--allow-stale",
      description = "Deploy even when releases changed in the cluster since the build.")
  boolean allowStale;

  @Option(
      names = "--rollback-on-failure",
      paramLabel = "SCOPE",
      defaultValue = "none",
      description =
          "${COMPLETION-CANDIDATES}: with plan, any failure rolls back every release this run changed.")
  Scope rollbackOnFailure;

  enum MonitorScope {
    release,
    dependents,
    plan
  }

  @Option(
      names = "--rollback-scope",
      paramLabel = "SCOPE",
      defaultValue = "release",
      description =
          "${COMPLETION-CANDIDATES}: a failed monitor's rollback also takes back the releases of this run that depend on it (dependents), or everything this run changed (plan).")
  MonitorScope rollbackScope;

  @Option(
      names = "--force-upgrade",
      description =
          "Upgrade every selected release, even one whose chart, values, render and deploy options"
              + " equal its deployed revision (such a release is otherwise reported unchanged).")
  boolean forceUpgrade;

  @Option(
      names = "--require-reviewed",
      description =
          "Refuse a release, before anything is applied to it, when Helm's deploy-time render"
              + " differs from the reviewed manifest of the plan directory.")
  boolean requireReviewed;

  @picocli.CommandLine.Option(
      names = "--dry-run",
      description = "Print what would be done; change nothing and run no hook.")
  boolean dryRun;

  @Option(
      names = "--restart",
      paramLabel = "RELEASE",
      split = ",",
      description =
          "Restart this release's Deployments, StatefulSets and DaemonSets after its upgrade, even"
              + " when nothing changed, as kubectl rollout restart does (name or name@namespace;"
              + " repeatable).")
  java.util.List<String> restart = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    Console console = Console.of(spec, progress);
    var env = kube.environment(DeployerCommand.environment(spec));
    if (build) {
      BuildResult built =
          new PlanBuilder(NativeHelmEngine.shared(), new ChartFetcher(), env, kube.context())
              .build(
                  new BuildRequest(
                      plan.planFile(),
                      planDirOptions.planDir,
                      selection.selection(),
                      Runtime.getRuntime().availableProcessors(),
                      null,
                      false),
                  console);
      // With -o json, standard output is the report's one document: the diff stays out of it.
      if (report.format == Reports.Format.text) {
        BuildCommand.print(spec, console, built);
      }
    }
    try (KubernetesCluster cluster = KubernetesCluster.create(env, kube.context())) {
      Deployer deployer =
          new Deployer(
              cluster,
              env,
              new dev.deployer.core.deploy.DefaultProbes(env, planDirOptions.planDir, cluster));
      UpRequest request =
          new UpRequest(
              planDirOptions.planDir,
              selection.selection(),
              deploy.parallelLimit,
              allowStale,
              rollbackOnFailure == Scope.plan,
              RollbackScope.valueOf(rollbackScope.name().toUpperCase(java.util.Locale.ROOT)),
              deploy.lockTimeout(),
              forceUpgrade,
              requireReviewed,
              dryRun,
              restart);
      return Interrupts.run(
          deploy.grace,
          cancellation ->
              Reports.print(
                  spec, report, console.around(() -> deployer.up(request, console, cancellation))));
    }
  }
}
