package dev.freshet.update;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replaces every empty list and map in a cached Kubernetes object with the one shared immutable
 * empty list or map. The fabric8 model starts each object with its own empty {@code
 * additionalProperties} map and an empty list for every list field (a pod spec has fifteen), and a
 * managed-fields tree ends every path in an empty map: at 10,000 cached workloads, 435,000 maps and
 * 348,000 lists, most of them empty, were a quarter of the live heap.
 *
 * <p>Only for objects that stay in an informer's cache: nothing mutates those (JOSDK hands a
 * reconciler a copy of its primary resource, and Freshet changes objects on the server only, by
 * patches built apart from them). No library does this for the fabric8 model; it is one reflective
 * walk with each class's fields looked up once.
 */
final class SharedEmpties {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
              if (!Modifier.isStatic(field.getModifiers())
                  && !field.getType().isPrimitive()
                  && field.getType() != String.class) {
                field.setAccessible(true);
                fields.add(field);
              }
            }
          }
          return List.copyOf(fields);
        }
      };

  private SharedEmpties() {}

  /** Shares the empty collections of {@code object} and everything it holds; changes it. */
  static void share(Object object) {
    if (object == null || !isModel(object.getClass())) {
      return;
    }
    for (Field field : FIELDS.get(object.getClass())) {
      try {
        Object value = field.get(object);
        Object shared = shared(value);
        if (shared != value) {
          field.set(object, shared);
        }
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot reach " + field, e);
      }
    }
  }

  /** The shared empty collection for an empty {@code value}; otherwise {@code value}, walked. */
  private static Object shared(Object value) {
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return List.of();
      }
      // A list in the Kubernetes API holds objects or strings, never lists or maps.
      list.forEach(SharedEmpties::share);
    } else if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return Map.of();
      }
      @SuppressWarnings("unchecked")
      Map<Object, Object> entries = (Map<Object, Object>) map;
      // A map the model deserialized (labels, resources' quantities, a managed-fields tree).
      if (entries instanceof HashMap<?, ?> || entries instanceof TreeMap<?, ?>) {
        entries.replaceAll((key, child) -> shared(child));
      }
    } else {
      share(value);
    }
    return value;
  }

  private static boolean isModel(Class<?> type) {
    return type.getName().startsWith(MODEL_PACKAGE);
  }
}
