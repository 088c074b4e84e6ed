package dev.deployer.app;

import dev.deployer.core.plan.Release;
import dev.deployer.core.plandir.PlanDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code deployer manifests}: prints the rendered manifests a plan directory holds, as helmwave's
 * {@code manifests} does; {@code --build} builds the directory first.
 */
@Command(
    name = "manifests",
    aliases = "manifest",
    mixinStandardHelpOptions = true,
    description =
        "Print the rendered manifests of the plan directory's releases (all, or those -u names).")
final class ManifestsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanDirOptions planDirOptions;

  @Option(
      names = {"-u", "--uniqnames"},
      split = ",",
      paramLabel = "RELEASE",
      description =
          "Only these releases (name@namespace, or a name the plan has once; comma-separated,"
              + " repeatable).")
  List<String> uniqnames = new ArrayList<>();

  @Option(
      names = "--build",
      description = "Build the plan directory first, from the plan file (as build does).")
  boolean build;

  @Mixin PlanOptions plan;
  @Mixin SelectionOptions selection;
  @Mixin KubeOptions kube;

  @Override
  public Integer call() {
    if (build) {
      Console console = Console.of(spec);
      var env = kube.environment(DeployerCommand.environment(spec));
      new dev.deployer.core.builder.PlanBuilder(
              dev.deployer.core.helm.NativeHelmEngine.shared(),
              new dev.deployer.core.chart.ChartFetcher(),
              env,
              kube.context())
          .build(
              new dev.deployer.core.builder.BuildRequest(
                  plan.planFile(),
                  planDirOptions.planDir,
                  selection.selection(),
                  Runtime.getRuntime().availableProcessors(),
                  dev.deployer.core.builder.BuildRequest.DiffMode.NONE,
                  false,
                  false,
                  false),
              console);
    }
    PlanDirectory dir = PlanDirectory.open(planDirOptions.planDir);
    List<Release> releases = dir.plan().releases();
    List<Release> chosen = new ArrayList<>();
    for (String given : uniqnames) {
      List<Release> named = releases.stream().filter(r -> r.isNamed(given)).toList();
      if (named.isEmpty()) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "-u/--uniqnames: release \"" + given + "\" is not in " + planDirOptions.planDir);
      }
      chosen.addAll(named);
    }
    var out = spec.commandLine().getOut();
    for (Release r : uniqnames.isEmpty() ? releases : chosen) {
      String manifest = dir.manifest(r.uniqueName());
      out.print(manifest);
      if (!manifest.isEmpty() && !manifest.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
    return ExitCodes.SUCCESS;
  }
}
