package dev.deployer.core;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Core's packages form no cycle: each can be read, and changed, knowing only those below it. */
class PackageCyclesTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.deployer.core");

  @Test
  void corePackagesAreFreeOfCycles() {
    slices().matching("dev.deployer.core.(*)..").should().beFreeOfCycles().check(CORE);
  }
}
