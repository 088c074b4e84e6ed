package dev.deployer.app;

import dev.deployer.core.deploy.Deployer;
import dev.deployer.core.deploy.KubernetesCluster;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer rollback}: rolls releases back on Helm's release records. */
@Command(
    name = "rollback",
    mixinStandardHelpOptions = true,
    description = {
      "Roll back the selected releases to their newest earlier revision that was deployed successfully (never a failed one), each after the releases that depend on it.",
      "RELEASE picks one release by name; with --revision N, it goes back to revision N."
    })
final class RollbackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ReverseSelectionOptions selection;
  @Mixin ProgressOptions progress;
  @Mixin Reports.FormatOption report;
  @Mixin KubeOptions kube;
  @Mixin DeployOptions deploy;

  @Mixin PlanDirOptions planDirOptions;

  @picocli.CommandLine.Parameters(
      arity = "0..1",
      paramLabel = "RELEASE",
      description = "One release by name, or name@namespace when several share the name.")
  String release;

  @Option(
      names = "--revision",
      paramLabel = "N",
      description = "The revision to go back to (one release only).")
  Integer revision;

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
                          deployer.rollback(
                              planDirOptions.planDir,
                              release == null
                                  ? selection.selection()
                                  : selection.selection(release),
                              Optional.ofNullable(revision),
                              dryRun,
                              deploy.parallelLimit,
                              deploy.lockTimeout(),
                              console,
                              c))));
    }
  }
}
