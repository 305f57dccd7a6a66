package dev.freshet.operator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages by role (DESIGN.md), checked on the compiled classes: the CLI wires, the
 * controllers (app, tracked, trigger) ask the update engine and never each other, and the engine,
 * the poller and the observers know nothing of the controllers above them.
 */
class OperatorLayeringTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.freshet");

  @Test
  void eachLayerUsesOnlyTheLayersBelowIt() {
    layeredArchitecture()
        .consideringOnlyDependenciesInAnyPackage("dev.freshet..")
        .layer("cli")
        .definedBy("dev.freshet.cli..")
        .layer("wiring")
        .definedBy("dev.freshet.operator..")
        .layer("app")
        .definedBy("dev.freshet.app..")
        .layer("tracked")
        .definedBy("dev.freshet.tracked..")
        .layer("trigger")
        .definedBy("dev.freshet.trigger..")
        .layer("notify")
        .definedBy("dev.freshet.notify..")
        .layer("update")
        .definedBy("dev.freshet.update..")
        .layer("poll")
        .definedBy("dev.freshet.poll..")
        .layer("observe")
        .definedBy("dev.freshet.observe..")
        .layer("registry")
        .definedBy("dev.freshet.registry..")
        .layer("receive")
        .definedBy("dev.freshet.receive..")
        .whereLayer("cli")
        .mayNotBeAccessedByAnyLayer()
        .whereLayer("wiring")
        .mayOnlyBeAccessedByLayers("cli")
        .whereLayer("app")
        .mayOnlyBeAccessedByLayers("cli", "wiring")
        .whereLayer("tracked")
        .mayOnlyBeAccessedByLayers("cli", "wiring")
        .whereLayer("trigger")
        .mayOnlyBeAccessedByLayers("cli", "wiring")
        .whereLayer("notify")
        .mayOnlyBeAccessedByLayers("cli", "wiring")
        .whereLayer("update")
        .mayOnlyBeAccessedByLayers("cli", "wiring", "app", "tracked")
        .whereLayer("poll")
        .mayOnlyBeAccessedByLayers("cli", "wiring", "app", "tracked", "trigger", "update")
        .whereLayer("observe")
        .mayOnlyBeAccessedByLayers("cli", "wiring", "app", "tracked", "trigger", "notify")
        .check(MAIN);
  }

  @Test
  void theUpdateDecisionIsPure() {
    noClasses()
        .that()
        .haveSimpleNameStartingWith("UpdateEngine")
        .or()
        .haveSimpleNameStartingWith("Decision")
        .or()
        .haveSimpleNameStartingWith("ImageRecord")
        .or()
        .haveSimpleNameStartingWith("Pin")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8.kubernetes.client..", "io.javaoperatorsdk..", "java.net..")
        .check(MAIN);
  }
}
