package dev.deployer.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The command line and the library it uses form no cycle: core never reaches back into app, and no
 * two packages of either depend on each other.
 */
class PackageCyclesTest {

  private static final JavaClasses MAIN_CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          // core's test jar is on this classpath too; its fakes are not part of the program.
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("dev.deployer");

  @Test
  void appAndCorePackagesAreFreeOfCycles() {
    slices().matching("dev.deployer.(**)").should().beFreeOfCycles().check(MAIN_CLASSES);
  }

  /**
   * core's entry points: the only core types app may use (nested types included). A new one is
   * added here on purpose, and to docs/architecture.md's list.
   */
  static final Set<String> ENTRY_POINTS =
      Set.of(
          "Plans",
          "builder.BuildRequest",
          "builder.BuildResult",
          "builder.LiveReleases",
          "builder.PlanBuilder",
          "builder.PlanLinter",
          "cancel.Cancellation",
          "chart.ChartFetcher",
          "deploy.DefaultProbes",
          "deploy.Deployer",
          "deploy.KubernetesCluster",
          "deploy.MonitorReport",
          "deploy.ReleaseReport",
          "deploy.ReleaseWatch",
          "deploy.RollbackScope",
          "deploy.RunReport",
          "deploy.UpRequest",
          "diff.DiffFormat",
          "diff.Differ",
          "diff.PlanDiff",
          "error.DeployerException",
          "event.Event",
          "event.EventListener",
          "graph.GraphFormat",
          "graph.ReleaseGraph",
          "graph.Selection",
          "helm.HelmEngine",
          "helm.NativeHelmEngine",
          "helm.ReleaseRevision",
          "helm.ReleaseStatus",
          "monitor.Probes",
          "outcome.MonitorOutcome",
          "outcome.Outcome",
          "plan.GoDuration",
          "plan.Location",
          "plan.Monitor",
          "plan.Plan",
          "plan.PlanException",
          "plan.PlanSchema",
          "plan.Problem",
          "plan.Release",
          "plandir.PlanDirectory");

  @Test
  void appUsesOnlyCoresEntryPoints() {
    DescribedPredicate<JavaClass> allowed =
        DescribedPredicate.describe(
            "outside core, or one of core's entry points",
            c -> {
              if (!c.getPackageName().startsWith("dev.deployer.core")) {
                return true;
              }
              String name = c.getName().substring("dev.deployer.core.".length());
              int nested = name.indexOf('$');
              return ENTRY_POINTS.contains(nested < 0 ? name : name.substring(0, nested));
            });
    classes()
        .that()
        .resideInAPackage("dev.deployer.app..")
        .should()
        .onlyDependOnClassesThat(allowed)
        .check(MAIN_CLASSES);
  }
}
