package dev.freshet.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TestbedExtensionTest {

  @Test
  void namespaceNamesAreValidDnsLabelsThatNameTheTest() {
    String name =
        TestbedExtension.namespaceName(
            "SomeRatherLongTestClassNameForAnIntegrationTestIT",
            "aTestMethodWhoseNameIsLongerThanALabelMayBe");

    assertThat(name)
        .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
        .hasSizeLessThanOrEqualTo(63)
        .startsWith("some-rather-long-test-class-name");
  }

  @Test
  void twoNamespacesForTheSameTestDiffer() {
    assertThat(TestbedExtension.namespaceName("SomeTest", "m"))
        .startsWith("some-test-m-")
        .isNotEqualTo(TestbedExtension.namespaceName("SomeTest", "m"));
  }
}
