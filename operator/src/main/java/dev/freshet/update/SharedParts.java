package dev.freshet.update;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Makes what many cached Kubernetes objects hold alike one shared instance: every empty list and
 * map becomes the immutable empty one, and every string its interned copy. The fabric8 model starts
 * each object with its own empty {@code additionalProperties} map and an empty list for every list
 * field (a pod spec has fifteen), a managed-fields tree ends every path in an empty map, and JSON
 * parsing makes a new string of every value: 10,000 cached Deployments held 10,000 copies of their
 * namespace, of {@code "True"}, {@code "apps/v1"} and of each image's reference and digest. (Map
 * keys are interned already: Jackson interns field names.) G1's string deduplication would do the
 * strings' part on its own, but the serial collector has none in Java 17.
 *
 * <p>Only for objects that stay in an informer's cache: nothing mutates those (JOSDK hands a
 * reconciler a copy of its primary resource, and Freshet changes objects on the server only, by
 * patches built apart from them). No library does this for the fabric8 model; it is one reflective
 * walk with each class's fields looked up once.
 */
final class SharedParts {
  private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

  private static final ClassValue<List<Field>> FIELDS =
      new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
          List<Field> fields = new ArrayList<>();
          for (Class<?> c = type; c != null && isModel(c); c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
              if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                field.setAccessible(true);
                fields.add(field);
              }
            }
          }
          return List.copyOf(fields);
        }
      };

  private SharedParts() {}

  /**
   * Shares what a cached object has alike with others: all of a Kubernetes model object, and of a
   * custom resource (an App, whose classes are Freshet's own) its metadata.
   */
  static void shareCached(HasMetadata object) {
    share(isModel(object.getClass()) ? object : object.getMetadata());
  }

  /** Shares what {@code object} and everything it holds have alike with others; changes it. */
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

  /** The shared instance for {@code value}; a list, map or object is walked and kept. */
  private static Object shared(Object value) {
    if (value instanceof String string) {
      return string.intern();
    }
    if (value instanceof List<?> list) {
      if (list.isEmpty()) {
        return List.of();
      }
      if (list instanceof ArrayList<?>) {
        @SuppressWarnings("unchecked")
        List<Object> items = (List<Object>) list;
        items.replaceAll(SharedParts::shared);
      } else {
        // A list Freshet built itself, of objects it made.
        list.forEach(SharedParts::share);
      }
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
