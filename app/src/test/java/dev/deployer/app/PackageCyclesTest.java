package dev.deployer.app;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
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
}
