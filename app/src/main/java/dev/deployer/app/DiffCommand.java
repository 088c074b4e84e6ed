package dev.deployer.app;

import dev.deployer.core.diff.DiffFormat;
import dev.deployer.core.diff.Differ;
import dev.deployer.core.diff.PlanDiff;
import dev.deployer.core.plandir.PlanDirectory;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer diff}: compares plans. */
@Command(
    name = "diff",
    aliases = "vs",
    mixinStandardHelpOptions = true,
    description = "Show what changed between plans.",
    subcommands = {DiffCommand.Local.class, DiffCommand.Live.class})
final class DiffCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code deployer diff local}: two plan directories, resource by resource. */
  @Command(
      name = "local",
      aliases = "plan",
      mixinStandardHelpOptions = true,
      description = "Compare two plan directories resource by resource (kind/namespace/name).")
  static final class Local implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--plandir1",
        required = true,
        paramLabel = "DIR",
        description = "The plan directory before.")
    Path before;

    @Option(
        names = "--plandir2",
        required = true,
        paramLabel = "DIR",
        description = "The plan directory after.")
    Path after;

    @Option(
        names = "--show-secrets",
        description = "Show Secret values instead of redaction markers.")
    boolean showSecrets;

    @Option(
        names = "--detailed-exitcode",
        description = "Exit 3 when anything changed, 0 when nothing did.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
      PlanDiff diff =
          new Differ(showSecrets)
              .diff(PlanDirectory.open(before).snapshots(), PlanDirectory.open(after).snapshots());
      spec.commandLine().getOut().print(Console.of(spec).colorDiff(DiffFormat.text(diff)));
      spec.commandLine().getOut().flush();
      return Outcomes.diffExitCode(detailedExitCode, diff.hasChanges());
    }
  }

  /** {@code deployer diff live}: a plan directory against the cluster. */
  @Command(
      name = "live",
      mixinStandardHelpOptions = true,
      description =
          "Compare a plan directory with what is deployed now; releases not installed show as added.")
  static final class Live implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SelectionOptions selection;
    @Mixin KubeOptions kube;

    @Mixin PlanDirOptions planDirOptions;

    @Option(
        names = "--show-secrets",
        description = "Show Secret values instead of redaction markers.")
    boolean showSecrets;

    @Option(
        names = "--detailed-exitcode",
        description = "Exit 3 when anything changed, 0 when nothing did.")
    boolean detailedExitCode;

    @Override
    public Integer call() {
      var env = kube.environment(DeployerCommand.environment(spec));
      PlanDiff diff;
      try (var cluster = dev.deployer.core.deploy.KubernetesCluster.create(env, kube.context())) {
        diff =
            new dev.deployer.core.deploy.Deployer(cluster, env)
                .diffLive(planDirOptions.planDir, selection.selection(), showSecrets);
      }
      spec.commandLine().getOut().print(Console.of(spec).colorDiff(DiffFormat.text(diff)));
      spec.commandLine().getOut().flush();
      return Outcomes.diffExitCode(detailedExitCode, diff.hasChanges());
    }
  }
}
