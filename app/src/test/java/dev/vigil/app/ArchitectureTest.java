package dev.vigil.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering of ../shared/reference/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        // Test jars on the test classpath (the collector's test fixtures) are tests too.
        .withImportOption(location -> !location.contains("-tests.jar"))
        .importPackages("dev.vigil");
  }

  @Test
  void modelDependsOnNothingOfOurs() {
    noClasses().that().resideInAPackage("dev.vigil.model..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.vigil.promql..", "dev.vigil.tsdb..", "dev.vigil.rules..", "dev.vigil.server..",
            "dev.vigil.app..", "dev.vigil.protocol..", "dev.vigil.collector..", "dev.vigil.mixin..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void promqlAndTsdbNeverSeeEachOther() {
    noClasses().that().resideInAPackage("dev.vigil.promql..")
        .should().dependOnClassesThat().resideInAPackage("dev.vigil.tsdb..")
        .allowEmptyShould(true)
        .check(classes);
    noClasses().that().resideInAPackage("dev.vigil.tsdb..")
        .should().dependOnClassesThat().resideInAPackage("dev.vigil.promql..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void theParserKnowsNothingOfEvaluation() {
    noClasses().that().resideInAPackage("dev.vigil.promql.parser..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "dev.vigil.promql.engine..", "dev.vigil.promql.functions..", "dev.vigil.promql.value..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void onlyTheAppWiresEverything() {
    noClasses().that().resideOutsideOfPackage("dev.vigil.app..")
        .should().dependOnClassesThat().resideInAPackage("dev.vigil.app..")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void mainCodeDoesNotPrintToTheConsole() {
    noClasses().should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .allowEmptyShould(true)
        .check(classes);
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.vigil.(*)..").should().beFreeOfCycles().check(classes);
  }
}
