package dev.freshet.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The registry module knows nothing of Kubernetes (DESIGN.md), and the update policies stay pure:
 * checked on the compiled classes, not left to review.
 */
class RegistryLayeringTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.freshet.registry");

  @Test
  void noKubernetesClientOrOperatorFramework() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "io.javaoperatorsdk..", "dev.freshet.testbed..")
        .check(MAIN);
  }

  @Test
  void policiesDoNoIoAndKnowNoTransport() {
    noClasses()
        .that()
        .resideInAPackage("dev.freshet.registry.policy..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.net..",
            "java.io..",
            "java.nio.file..",
            "dev.freshet.registry.http..",
            "dev.freshet.registry.resolve..",
            "dev.freshet.registry.auth..")
        .check(MAIN);
  }

  @Test
  void theTransportDoesNotReachUpIntoTheResolver() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.freshet.registry.http..", "dev.freshet.registry.auth..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.freshet.registry.resolve..", "dev.freshet.registry.policy..")
        .check(MAIN);
  }
}
