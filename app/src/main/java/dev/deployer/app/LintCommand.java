package dev.deployer.app;

import dev.deployer.core.Plans;
import dev.deployer.core.builder.PlanLinter;
import dev.deployer.core.helm.NativeHelmEngine;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code deployer lint}. */
@Command(
    name = "lint",
    mixinStandardHelpOptions = true,
    description = {
      "Lint each release's local chart with Helm's chart lint and its values, then check what it"
          + " renders for deploys that prove less than they seem: workloads without a readiness"
          + " probe, one replica that may be unavailable, latest or missing image tags, pod"
          + " annotations that change on every render.",
      "Exit code 1 when Helm's lint found an error (or, with --strict, any warning)."
    })
final class LintCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin PlanOptions plan;
  @Mixin SelectionOptions selection;

  @Option(names = "--strict", description = "Warnings fail the lint too.")
  boolean strict;

  @Override
  public Integer call() {
    var loaded = Plans.load(plan.planFile(), Console.of(spec));
    List<PlanLinter.Finding> findings =
        new PlanLinter(NativeHelmEngine.shared())
            .lint(loaded.plan(), loaded.graph().select(selection.selection()));
    var out = spec.commandLine().getOut();
    findings.forEach(out::println);
    long errors = findings.stream().filter(PlanLinter.Finding::isError).count();
    long warnings =
        findings.stream()
            .filter(f -> f.severity() == dev.deployer.core.helm.HelmEngine.Severity.WARNING)
            .count();
    out.println(
        findings.isEmpty()
            ? "no findings"
            : errors
                + " error"
                + (errors == 1 ? "" : "s")
                + ", "
                + warnings
                + " warning"
                + (warnings == 1 ? "" : "s"));
    out.flush();
    return Outcomes.lintExitCode(errors, warnings, strict);
  }
}
