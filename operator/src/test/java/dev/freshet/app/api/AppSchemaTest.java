package dev.freshet.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.it.AppCrd;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated CRD bounds every integer, so no stored App holds a number Freshet cannot read. */
class AppSchemaTest {

  private static JSONSchemaProps schema() throws IOException {
    try (InputStream in = AppSchemaTest.class.getResourceAsStream(AppCrd.RESOURCE)) {
      var crd = new KubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
      return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
    }
  }

  @Test
  void everyIntegerHasAFormatAndEveryInt32BoundsItsJavaTypeCanHold() throws IOException {
    Map<String, JSONSchemaProps> integers = new LinkedHashMap<>();
    collectIntegers(schema(), "", integers);

    assertThat(integers).containsKeys(".spec.replicas", ".spec.livenessProbe.periodSeconds");
    assertThat(integers)
        .allSatisfy(
            (path, integer) -> {
              assertThat(integer.getFormat()).as(path).isIn("int32", "int64");
              if (integer.getFormat().equals("int32")) {
                assertThat(integer.getMinimum()).as(path).isNotNull();
                assertThat(integer.getMaximum()).as(path).isNotNull();
                assertThat(integer.getMaximum()).as(path).isLessThanOrEqualTo(Integer.MAX_VALUE);
                assertThat(integer.getMinimum()).as(path).isGreaterThanOrEqualTo(Integer.MIN_VALUE);
              }
            });
  }

  @Test
  void theAppsOwnIntegersHaveSensibleMaxima() throws IOException {
    JSONSchemaProps spec = schema().getProperties().get("spec");

    assertThat(spec.getProperties().get("replicas").getMaximum())
        .isEqualTo((double) AppSpec.MAX_REPLICAS);
    assertThat(spec.getProperties().get("ports").getItems().getSchema().getProperties())
        .allSatisfy((name, port) -> assertThat(port.getMaximum()).isIn(null, 65535.0));
    assertThat(
            spec.getProperties()
                .get("update")
                .getProperties()
                .get("progressDeadlineSeconds")
                .getMaximum())
        .isEqualTo(86400.0);
  }

  /**
   * An int-or-string (a quantity such as {@code 500m}, a port by number or name) is not a plain
   * integer and is left out; a quantity is read as text and needs no bounds.
   */
  private static void collectIntegers(
      JSONSchemaProps schema, String path, Map<String, JSONSchemaProps> integers) {
    if (schema == null) {
      return;
    }
    if ("integer".equals(schema.getType())) {
      integers.put(path, schema);
    }
    if (schema.getProperties() != null) {
      schema
          .getProperties()
          .forEach((name, child) -> collectIntegers(child, path + "." + name, integers));
    }
    if (schema.getItems() != null) {
      collectIntegers(schema.getItems().getSchema(), path + "[]", integers);
    }
    if (schema.getAdditionalProperties() != null) {
      collectIntegers(schema.getAdditionalProperties().getSchema(), path + "{}", integers);
    }
    if (schema.getAnyOf() != null && !Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      schema.getAnyOf().forEach(branch -> collectIntegers(branch, path, integers));
    }
  }
}
