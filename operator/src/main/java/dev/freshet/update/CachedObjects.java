package dev.freshet.update;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.processing.event.source.informer.TransformingItemStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What an informer keeps of each object: all of it but what no reconciler reads, as
 * controller-runtime's {@code TransformStripManagedFields} does. {@code managedFields} is often the
 * largest part of a workload and grows with every manager that touched it, so a cache of thousands
 * of workloads would hold mostly bookkeeping. Kept of it:
 *
 * <ul>
 *   <li>the entries of Freshet's applying manager, whole: the server-side apply of an App's objects
 *       compares its desired object with the fields its manager owns, and {@link ImageFieldApplier}
 *       repeats the image fields its manager owns (for a tracked workload, which no apply compares
 *       whole, only those image fields: {@link #storeOfImageOwners});
 *   <li>of other managers, only the entries that own a container's image, cut down to those image
 *       fields: {@link ImageFieldApplier#imageManagers} tells by them that a person or a tool took
 *       an image into their own hands; for a tracked workload, also what they own of the
 *       annotations Freshet records its updates in, which {@link ImageFieldApplier} sends with an
 *       image;
 *   <li>of the manager that once wrote a tracked workload's status apart ({@link
 *       ImageFieldApplier#LEGACY_STATUS_MANAGER}), only that its entry is there.
 * </ul>
 *
 * The {@code kubectl.kubernetes.io/last-applied-configuration} annotation, a copy of the whole
 * object that nothing in Freshet reads, is dropped as well, and what is kept shares its empty lists
 * and maps and its strings with every other cached object ({@link SharedParts}).
 */
public final class CachedObjects {
  static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  /**
   * How many objects an informer asks for in one list request. A list of every Deployment in a
   * cluster arrives as one body, held whole and decoded whole, managed fields and all, before any
   * object of it is pruned: at 10,000 Deployments, two informers listing them at start (the tracked
   * controller's and the Apps' dependents') ran a 256 MiB heap out. In pages, each page is pruned
   * into the cache before the next is asked for.
   */
  public static final long LIST_PAGE = 500;

  private CachedObjects() {}

  /** An informer's store that keeps each object {@link #pruned}. */
  public static <R extends HasMetadata> ItemStore<R> store() {
    return new TransformingItemStore<>(object -> compact(pruned(object)));
  }

  /**
   * An informer's store for objects whose fields no server-side apply of Freshet's compares with
   * (tracked workloads): of managed fields it keeps only who owns which container's image and which
   * annotation under {@code recordPrefix}, Freshet's own entries cut down the same way ({@link
   * ImageFieldApplier} reads nothing else of them), and {@code more} removes what the kind's
   * controller does not read.
   */
  public static <R extends HasMetadata> ItemStore<R> storeOfImageOwners(
      String recordPrefix, UnaryOperator<R> more) {
    return new TransformingItemStore<>(
        object -> compact(more.apply(pruned(object, OwnEntries.IMAGE_FIELDS, recordPrefix))));
  }

  /** {@code object} with its empty lists, maps and strings shared (see {@link SharedParts}). */
  public static <R extends HasMetadata> R compact(R object) {
    SharedParts.shareCached(object);
    return object;
  }

  /** {@code object} without what no reconciler reads; changes {@code object} and returns it. */
  public static <R extends HasMetadata> R pruned(R object) {
    return pruned(object, OwnEntries.WHOLE, null);
  }

  /** What is kept of Freshet's own managed-fields entries. */
  enum OwnEntries {
    /** Whole: an App's objects, which a server-side apply matcher compares against them. */
    WHOLE,
    /** Cut to the image fields, as other managers' entries are. */
    IMAGE_FIELDS
  }

  /**
   * {@code object} pruned; of other managers' entries, the annotations under {@code recordPrefix}
   * are kept beside the image fields (none when it is null).
   */
  static <R extends HasMetadata> R pruned(R object, OwnEntries own, String recordPrefix) {
    var metadata = object.getMetadata();
    if (metadata.getAnnotations() != null && metadata.getAnnotations().containsKey(LAST_APPLIED)) {
      Map<String, String> annotations = new LinkedHashMap<>(metadata.getAnnotations());
      annotations.remove(LAST_APPLIED);
      metadata.setAnnotations(annotations);
    }
    if (metadata.getManagedFields() != null) {
      List<ManagedFieldsEntry> kept = new ArrayList<>();
      for (ManagedFieldsEntry entry : metadata.getManagedFields()) {
        if (isOwn(entry) && own == OwnEntries.WHOLE) {
          kept.add(entry);
        } else if (ImageFieldApplier.LEGACY_STATUS_MANAGER.equals(entry.getManager())) {
          // Only that it is there: the status writer retires it on its next write.
          entry.setFieldsV1(null);
          kept.add(entry);
        } else if (entry.getFieldsV1() != null) {
          Map<String, Object> images = imageFields(entry.getFieldsV1().getAdditionalProperties());
          if (!isOwn(entry)) {
            // Freshet's own record needs no owner kept: it is what the apply sends anyway.
            images.putAll(
                recordFields(entry.getFieldsV1().getAdditionalProperties(), recordPrefix));
          }
          if (!images.isEmpty()) {
            FieldsV1 fields = new FieldsV1();
            images.forEach(fields::setAdditionalProperty);
            entry.setFieldsV1(fields);
            kept.add(entry);
          }
        }
      }
      metadata.setManagedFields(kept.isEmpty() ? null : kept);
    }
    return object;
  }

  /** Entries of the manager that applies an App's objects and a workload's images. */
  private static boolean isOwn(ManagedFieldsEntry entry) {
    return ImageFieldApplier.FIELD_MANAGER.equals(entry.getManager());
  }

  /**
   * The part of a managed-fields tree that owns annotations under {@code prefix}: {@code
   * {f:metadata: {f:annotations: {f:<key>: {}}}}}; empty when it owns none or {@code prefix} is
   * null.
   */
  static Map<String, Object> recordFields(Map<String, Object> node, String prefix) {
    if (prefix == null
        || !(node.get("f:metadata") instanceof Map<?, ?> metadata)
        || !(metadata.get("f:annotations") instanceof Map<?, ?> annotations)) {
      return Map.of();
    }
    Map<String, Object> owned = new LinkedHashMap<>();
    annotations.keySet().stream()
        .map(String::valueOf)
        .filter(key -> key.startsWith("f:" + prefix))
        .forEach(key -> owned.put(key, Map.of()));
    return owned.isEmpty() ? Map.of() : Map.of("f:metadata", Map.of("f:annotations", owned));
  }

  /**
   * The part of a managed-fields tree that leads to a container's {@code f:image}, in any pod
   * template (a Deployment's, a CronJob's job template's); empty when it owns none.
   */
  static Map<String, Object> imageFields(Map<String, Object> node) {
    Map<String, Object> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Object> child : node.entrySet()) {
      if (!(child.getValue() instanceof Map<?, ?> value)) {
        continue;
      }
      if (child.getKey().equals("f:containers") || child.getKey().equals("f:initContainers")) {
        Map<String, Object> containers = new LinkedHashMap<>();
        value.forEach(
            (key, container) -> {
              if (container instanceof Map<?, ?> fields && fields.containsKey("f:image")) {
                containers.put(String.valueOf(key), Map.of("f:image", Map.of()));
              }
            });
        if (!containers.isEmpty()) {
          kept.put(child.getKey(), containers);
        }
      } else if (child.getKey().startsWith("f:")) {
        @SuppressWarnings("unchecked")
        Map<String, Object> below = imageFields((Map<String, Object>) value);
        if (!below.isEmpty()) {
          kept.put(child.getKey(), below);
        }
      }
    }
    return kept;
  }
}
