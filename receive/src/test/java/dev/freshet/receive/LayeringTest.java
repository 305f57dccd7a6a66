package dev.freshet.receive;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Receivers know nothing of Kubernetes: the operator adapts them, not the other way round. The test
 * classpath has fabric8 (through the testbed support), so the compiler alone would not notice.
 */
class LayeringTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.freshet.receive");

  @Test
  void receiversDoNotDependOnKubernetes() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.fabric8..", "io.javaoperatorsdk..", "dev.freshet.app..", "dev.freshet.cli..")
        .check(classes);
  }

  @Test
  void parsersDoNotDependOnTheServer() {
    // The sources are usable (and fuzzed) without an HTTP server; only the server knows about
    // Jetty.
    noClasses()
        .that()
        .resideInAnyPackage("dev.freshet.receive.sources..", "dev.freshet.receive.auth..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.eclipse.jetty..", "com.sun.net.httpserver..", "dev.freshet.receive.server..")
        .check(classes);
  }
}
