package dev.freshet.app.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Set;

/**
 * Gives every integer of the App's schema the format and bounds of the Java type that reads it,
 * embedded Kubernetes types (probes, volumes, claim templates) included.
 *
 * <p>The CRD generator writes a bare {@code type: integer}, which the API server stores up to
 * int64. An {@code Integer} field then receives 2147483648, Jackson cannot read the App, and the
 * informer that lists Apps fails as a whole. {@code format: int32} alone is documentation to the
 * API server; the {@code minimum}/{@code maximum} are what it enforces, with a message naming the
 * field. Bounds the API classes already declare (tighter ones, such as ports) are kept.
 */
public class IntegerFormats implements SchemaCustomizer.Customizer {

  // An int-or-string (IntOrString ports, quantities) is left alone: the API server accepts its
  // anyOf
  // only in exactly the shape the generator writes.
  private static final Set<Class<?>> INT32 = Set.of(Integer.class, int.class);
  private static final Set<Class<?>> INT64 = Set.of(Long.class, long.class);
  private final ObjectMapper mapper = new ObjectMapper();

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps props, String input, KubernetesSerialization kubernetesSerialization) {
    walk(props, mapper.constructType(App.class));
    return props;
  }

  private void walk(JSONSchemaProps schema, JavaType type) {
    if (schema == null || type == null) {
      return;
    }
    if ("integer".equals(schema.getType())) {
      bound(schema, type.getRawClass());
    }
    if (type.isCollectionLikeType() || type.isArrayType()) {
      if (schema.getItems() != null) {
        walk(schema.getItems().getSchema(), type.getContentType());
      }
      return;
    }
    if (type.isMapLikeType()) {
      if (schema.getAdditionalProperties() != null) {
        walk(schema.getAdditionalProperties().getSchema(), type.getContentType());
      }
      return;
    }
    if (schema.getProperties() != null && !schema.getProperties().isEmpty()) {
      BeanDescription bean = mapper.getSerializationConfig().introspect(type);
      Map<String, JSONSchemaProps> properties = schema.getProperties();
      for (BeanPropertyDefinition property : bean.findProperties()) {
        walk(properties.get(property.getName()), property.getPrimaryType());
      }
    }
  }

  private static void bound(JSONSchemaProps schema, Class<?> javaType) {
    if (INT32.contains(javaType)) {
      schema.setFormat("int32");
      if (schema.getMinimum() == null) {
        schema.setMinimum((double) Integer.MIN_VALUE);
      }
      if (schema.getMaximum() == null) {
        schema.setMaximum((double) Integer.MAX_VALUE);
      }
    } else if (INT64.contains(javaType)) {
      // A Long reads whatever the API server stores as an integer. No bounds: the API server then
      // checks int64 values against a double bound and refuses every write of the object.
      schema.setFormat("int64");
    }
  }
}
