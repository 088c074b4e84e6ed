package dev.deployer.app;

import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code deployer down}: uninstalls the plan's releases. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description =
        "Uninstall the plan directory's releases, each after the releases that depend on it.")
final class DownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ReverseSelectionOptions selection;
  @Mixin ProgressOptions progress;
  @Mixin Reports.FormatOption report;
  @Mixin KubeOptions kube;
  @Mixin DeployOptions deploy;

  @Mixin PlanDirOptions planDirOptions;

  @picocli.CommandLine.Option(
      names = "--force",
      description =
          "Uninstall even releases that installed releases outside the selection depend on.")
  boolean force;

  @picocli.CommandLine.Option(
      names = "--dry-run",
      description = "Print what would be done; change nothing and run no hook.")
  boolean dryRun;

  @Override
  public Integer call() {
    var env = kube.environment(DeployerCommand.environment(spec));
    try (KubernetesCluster cluster = KubernetesCluster.create(env, kube.context())) {
      Deployer deployer = new Deployer(cluster, env);
      Console console = Console.of(spec, progress);
      return Interrupts.run(
          deploy.grace,
          c ->
              Reports.print(
                  spec,
                  report,
                  console.around(
                      () ->
                          deployer.down(
                              planDirOptions.planDir,
                              selection.selection(),
                              force,
                              dryRun,
                              deploy.parallelLimit,
                              deploy.lockTimeout(),
                              console,
                              c))));
    }
  }
}
