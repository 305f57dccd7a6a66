package dev.freshet.update;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes the image of containers in a workload Freshet does not own, and nothing else: a
 * server-side apply of a partial object holding only those image fields, under Freshet's field
 * manager, so the change is visible in {@code managedFields} and every other field keeps its owner.
 * The pod template sits where the workload's kind keeps it (a CronJob's is inside its job
 * template), and init containers are set in {@code initContainers}.
 *
 * <p>When another manager owns an image field the apply conflicts. A person or a one-shot tool
 * ({@code kubectl create}, {@code kubectl set image}, Helm's three-way merge) does not revert the
 * field on its own, so Freshet takes the field over: at once, in a forced apply, when the copy's
 * managed fields already name them (the first pin of every workload a person created), or after the
 * conflict names them. A controller that re-applies continuously (Argo CD, Flux) would revert it
 * and the two would fight, so Freshet refuses and reports who owns the field, unless the workload
 * says {@code freshet.dev/force: "true"}.
 *
 * <p>Every apply carries the {@code resourceVersion} of the copy it was made from, as a
 * precondition. An apply repeats what Freshet owns at the values that copy shows, so one made from
 * a copy the informer has not yet brought up to date would set an image Freshet has since moved on
 * from: a roll backward. The API server refuses such an apply ({@link Result.Stale}) and the newer
 * copy's event brings the next reconcile.
 */
public final class ImageFieldApplier {
  public static final String FIELD_MANAGER = "freshet";

  /**
   * The manager that wrote a tracked workload's status annotations apart from the image before they
   * moved to {@link #FIELD_MANAGER}. Its entries are retired on the first write after the move.
   */
  public static final String LEGACY_STATUS_MANAGER = "freshet-status";

  /** Managers that reconcile continuously and would revert an image Freshet sets. */
  static final Set<String> CONTINUOUS_RECONCILERS =
      Set.of(
          "argocd-controller",
          "argocd-application-controller",
          "argocd-server",
          "kustomize-controller",
          "helm-controller",
          "fleet-agent",
          "gitops-controller");

  private static final Pattern PLAIN_NAME_KEY = Pattern.compile("k:\\{\"name\":\"([a-z0-9-]+)\"}");

  private static final Pattern CONFLICTING_MANAGER = Pattern.compile("conflict with \"([^\"]+)\"");

  private final KubernetesClient client;

  public ImageFieldApplier(KubernetesClient client) {
    this.client = client;
  }

  /** What happened to the apply. */
  public sealed interface Result {
    /**
     * The images are as asked; {@code tookOverFrom} names the managers that owned them before, if
     * any.
     */
    record Applied(Set<String> tookOverFrom) implements Result {}

    /** A continuously reconciling controller owns an image field; nothing was changed. */
    record Refused(Set<String> owners, String message) implements Result {}

    /**
     * The API server found the changed workload invalid (a webhook or validation refused it);
     * nothing was changed, and trying again unchanged would fail the same way.
     */
    record Invalid(KubernetesClientException refusal) implements Result {}

    /**
     * The workload changed since the copy the apply was made from; nothing was changed, and the
     * change's own event brings the next try.
     */
    record Stale() implements Result {}
  }

  /**
   * A container of a pod template: its name and whether it is an init container. Server-side apply
   * merges {@code containers} and {@code initContainers} by name, each list on its own, so an image
   * set under the wrong list would add a container instead of changing one.
   */
  public record TemplateContainer(String name, boolean init) {
    public static TemplateContainer regular(String name) {
      return new TemplateContainer(name, false);
    }

    public static TemplateContainer initContainer(String name) {
      return new TemplateContainer(name, true);
    }

    String listField() {
      return init ? "initContainers" : "containers";
    }

    @Override
    public String toString() {
      return (init ? "init container " : "container ") + name;
    }
  }

  /**
   * Sets {@code images} in the pod template of {@code workload}.
   *
   * @param templatePath where the kind keeps its pod template, e.g. {@code [spec, template]} for a
   *     Deployment, {@code [spec, jobTemplate, spec, template]} for a CronJob
   * @param images the image reference each container is to run
   * @param force take the fields over even from a continuously reconciling controller
   */
  public Result apply(
      HasMetadata workload,
      List<String> templatePath,
      Map<TemplateContainer, String> images,
      boolean force) {
    return apply(workload, templatePath, images, Map.of(), force);
  }

  /**
   * As {@link #apply(HasMetadata, List, Map, boolean)}, with {@code record} written as annotations
   * in the same request: a record of what the images are set to can then never disagree with them.
   * The apply owns these annotations, so each apply repeats all of them.
   */
  public Result apply(
      HasMetadata workload,
      List<String> templatePath,
      Map<TemplateContainer, String> images,
      Map<String, String> record,
      boolean force) {
    Map<String, Object> podSpec = podSpecOf(workload, templatePath);
    Map<TemplateContainer, String> applied =
        new LinkedHashMap<>(stillOwned(workload, templatePath, podSpec));
    applied.putAll(images);
    GenericKubernetesResource patch = patch(workload, templatePath, applied, record);
    Set<String> imageOwners = foreignOwners(workload, templatePath, podSpec, images);
    Set<String> sentFieldOwners = new TreeSet<>(imageOwners);
    sentFieldOwners.addAll(recordOwners(workload, record.keySet()));
    if (!imageOwners.isEmpty()
        && (force || sentFieldOwners.stream().noneMatch(CONTINUOUS_RECONCILERS::contains))) {
      // The copy names who owns the fields this apply sends, and none would revert them: take the
      // images over in one request, not in an apply refused with 409 and a forced one after it.
      // The copy's resourceVersion makes its owners the API server's: a manager that came since
      // makes the apply stale, and it changes nothing.
      Result forced = forced(patch);
      return forced instanceof Result.Applied ? new Result.Applied(imageOwners) : forced;
    }
    try {
      client.resource(patch).fieldManager(FIELD_MANAGER).serverSideApply();
      return new Result.Applied(Set.of());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422) {
        return new Result.Invalid(e);
      }
      if (e.getCode() != 409) {
        throw e;
      }
      if (isStale(e)) {
        return new Result.Stale();
      }
      Set<String> owners = conflictingManagers(e);
      Set<String> reconcilers = new TreeSet<>(owners);
      reconcilers.retainAll(CONTINUOUS_RECONCILERS);
      if (!force && !reconcilers.isEmpty()) {
        return new Result.Refused(
            owners,
            "the image is owned by "
                + String.join(", ", reconcilers)
                + ", which would revert a change; set the annotation freshet.dev/force=\"true\" to"
                + " let Freshet take the field over, or let that tool update the image");
      }
      Result forced = forced(patch);
      return forced instanceof Result.Applied ? new Result.Applied(owners) : forced;
    }
  }

  /**
   * The managers other than Freshet's that own, in {@code workload}, the image field of a container
   * whose image {@code images} changes: an apply of those images conflicts with each of them.
   */
  private static Set<String> foreignOwners(
      HasMetadata workload,
      List<String> templatePath,
      Map<String, Object> podSpec,
      Map<TemplateContainer, String> images) {
    Map<TemplateContainer, Set<String>> managers = imageManagers(workload, templatePath);
    Set<String> owners = new TreeSet<>();
    images.forEach(
        (container, image) -> {
          boolean changes =
              !currentImage(podSpec, container.listField(), container.name())
                  .map(image::equals)
                  .orElse(false);
          if (changes) {
            managers.getOrDefault(container, Set.of()).stream()
                .filter(manager -> !FIELD_MANAGER.equals(manager))
                .forEach(owners::add);
          }
        });
    return owners;
  }

  /**
   * The managers other than Freshet's, old or new, that own one of the annotations {@code keys} in
   * {@code workload}. The informer keeps their entries for the record's annotations (see {@link
   * CachedObjects#storeOfImageOwners}): a continuously reconciling tool that owns one would fight
   * over it as over an image, so the apply goes the way that lets the API server name it.
   */
  private static Set<String> recordOwners(HasMetadata workload, Set<String> keys) {
    Set<String> owners = new TreeSet<>();
    if (keys.isEmpty()) {
      return owners;
    }
    for (ManagedFieldsEntry entry :
        Optional.ofNullable(workload.getMetadata().getManagedFields()).orElse(List.of())) {
      if (FIELD_MANAGER.equals(entry.getManager())
          || LEGACY_STATUS_MANAGER.equals(entry.getManager())
          || (entry.getSubresource() != null && !entry.getSubresource().isEmpty())
          || entry.getFieldsV1() == null) {
        continue;
      }
      Object annotations =
          child(
              child(entry.getFieldsV1().getAdditionalProperties(), "f:metadata"), "f:annotations");
      if (annotations instanceof Map<?, ?> owned
          && keys.stream().anyMatch(key -> owned.containsKey("f:" + key))) {
        owners.add(entry.getManager());
      }
    }
    return owners;
  }

  /**
   * Writes {@code record} as the annotations Freshet's manager owns, and changes no image: the
   * image fields it owns are repeated at the values {@code workload} shows. Forced, since no image
   * value changes and only annotations can conflict: those a person set by hand, or those of the
   * manager that wrote Freshet's status apart before ({@code freshet-status}), which this takes
   * over.
   */
  public Result applyRecord(
      HasMetadata workload, List<String> templatePath, Map<String, String> record) {
    return forced(patch(workload, templatePath, stillOwned(workload, templatePath), record));
  }

  private Result forced(GenericKubernetesResource patch) {
    try {
      client.resource(patch).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      return new Result.Applied(Set.of());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 422) {
        return new Result.Invalid(e);
      }
      if (e.getCode() == 409 && isStale(e)) {
        return new Result.Stale();
      }
      throw e;
    }
  }

  private static GenericKubernetesResource patch(
      HasMetadata workload,
      List<String> templatePath,
      Map<TemplateContainer, String> images,
      Map<String, String> record) {
    GenericKubernetesResource patch = imageOnlyPatch(workload, templatePath, images);
    if (!record.isEmpty()) {
      patch.getMetadata().setAnnotations(new TreeMap<>(record));
    }
    patch.getMetadata().setResourceVersion(workload.getMetadata().getResourceVersion());
    return patch;
  }

  /**
   * A 409 for the {@code resourceVersion} precondition, not for fields another manager owns: the
   * API server names each conflicting field as a {@code FieldManagerConflict} cause.
   */
  static boolean isStale(KubernetesClientException e) {
    return e.getCode() == 409
        && (e.getStatus() == null
            || e.getStatus().getDetails() == null
            || e.getStatus().getDetails().getCauses() == null
            || e.getStatus().getDetails().getCauses().stream()
                .noneMatch(c -> "FieldManagerConflict".equals(c.getReason())));
  }

  /**
   * The image fields Freshet's earlier applies own, at the values the workload has now. An apply is
   * the manager's whole intent: a field it owned alone and leaves out is deleted, and a container
   * without an image is invalid. So every apply repeats what Freshet set before, or updating one
   * container of several would fail until all of them change at once.
   */
  /**
   * Who manages each container's image field in {@code workload}, by its managed-fields entries: a
   * {@code kubectl rollout undo} or {@code kubectl set image} moves the field from Freshet's
   * manager to theirs, even where the values it restores look like Freshet's own.
   */
  public static Map<TemplateContainer, Set<String>> imageManagers(
      HasMetadata workload, List<String> templatePath) {
    Map<TemplateContainer, Set<String>> managers = new LinkedHashMap<>();
    for (ManagedFieldsEntry entry :
        Optional.ofNullable(workload.getMetadata().getManagedFields()).orElse(List.of())) {
      if ((entry.getSubresource() != null && !entry.getSubresource().isEmpty())
          || entry.getFieldsV1() == null) {
        continue;
      }
      Object node = entry.getFieldsV1().getAdditionalProperties();
      for (String step : templatePath) {
        node = child(node, "f:" + step);
      }
      node = child(node, "f:spec");
      for (boolean init : new boolean[] {false, true}) {
        if (!(child(node, "f:" + (init ? "initContainers" : "containers"))
            instanceof Map<?, ?> items)) {
          continue;
        }
        for (Map.Entry<?, ?> item : items.entrySet()) {
          String name = mergeKeyName(String.valueOf(item.getKey()));
          if (name != null && child(item.getValue(), "f:image") != null) {
            managers
                .computeIfAbsent(new TemplateContainer(name, init), k -> new TreeSet<>())
                .add(entry.getManager());
          }
        }
      }
    }
    return managers;
  }

  static Map<TemplateContainer, String> stillOwned(
      HasMetadata workload, List<String> templatePath) {
    return stillOwned(workload, templatePath, podSpecOf(workload, templatePath));
  }

  private static Map<TemplateContainer, String> stillOwned(
      HasMetadata workload, List<String> templatePath, Map<String, Object> podSpec) {
    Map<TemplateContainer, String> owned = new LinkedHashMap<>();
    for (ManagedFieldsEntry entry :
        Optional.ofNullable(workload.getMetadata().getManagedFields()).orElse(List.of())) {
      if (!FIELD_MANAGER.equals(entry.getManager())
          || !"Apply".equals(entry.getOperation())
          || (entry.getSubresource() != null && !entry.getSubresource().isEmpty())
          || entry.getFieldsV1() == null) {
        continue;
      }
      Object node = entry.getFieldsV1().getAdditionalProperties();
      for (String step : templatePath) {
        node = child(node, "f:" + step);
      }
      node = child(node, "f:spec");
      for (boolean init : new boolean[] {false, true}) {
        String list = init ? "initContainers" : "containers";
        if (!(child(node, "f:" + list) instanceof Map<?, ?> items)) {
          continue;
        }
        for (Map.Entry<?, ?> item : items.entrySet()) {
          String name = mergeKeyName(String.valueOf(item.getKey()));
          if (name == null || child(item.getValue(), "f:image") == null) {
            continue;
          }
          currentImage(podSpec, list, name)
              .ifPresent(image -> owned.put(new TemplateContainer(name, init), image));
        }
      }
    }
    return owned;
  }

  private static Object child(Object node, String key) {
    return node instanceof Map<?, ?> map ? map.get(key) : null;
  }

  /** The container name in a list item's key, {@code k:{"name":"app"}}. */
  private static String mergeKeyName(String key) {
    if (!key.startsWith("k:")) {
      return null;
    }
    // A container's name is a DNS label, which JSON writes without escapes: read it without a
    // parser, as every reconcile reads the keys of every managed-fields entry.
    Matcher plain = PLAIN_NAME_KEY.matcher(key);
    if (plain.matches()) {
      return plain.group(1);
    }
    Map<String, Object> fields = Serialization.unmarshal(key.substring(2), Map.class);
    return fields.get("name") instanceof String name ? name : null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSpecOf(HasMetadata workload, List<String> templatePath) {
    Object node = Serialization.jsonMapper().convertValue(workload, Map.class);
    for (String step : templatePath) {
      node = child(node, step);
    }
    return child(node, "spec") instanceof Map<?, ?> spec ? (Map<String, Object>) spec : Map.of();
  }

  private static Optional<String> currentImage(
      Map<String, Object> podSpec, String list, String name) {
    if (!(podSpec.get(list) instanceof List<?> containers)) {
      return Optional.empty();
    }
    return containers.stream()
        .filter(c -> c instanceof Map<?, ?> m && name.equals(m.get("name")))
        .map(c -> ((Map<?, ?>) c).get("image"))
        .filter(String.class::isInstance)
        .map(String.class::cast)
        .findFirst();
  }

  static GenericKubernetesResource imageOnlyPatch(
      HasMetadata workload, List<String> templatePath, Map<TemplateContainer, String> images) {
    if (templatePath.isEmpty()) {
      throw new IllegalArgumentException("the pod template's path is empty");
    }
    Map<String, Object> podSpec = new TreeMap<>();
    images.forEach(
        (container, image) ->
            listOf(podSpec, container.listField()).add(nameAndImage(container.name(), image)));
    // Wrapped from the pod template outwards: {spec: {template: {spec: podSpec}}} for a Deployment.
    Object node = Map.of("spec", podSpec);
    for (int i = templatePath.size() - 1; i > 0; i--) {
      node = Map.of(templatePath.get(i), node);
    }
    var patch = new GenericKubernetesResource();
    patch.setApiVersion(workload.getApiVersion());
    patch.setKind(workload.getKind());
    patch.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .build());
    if (!images.isEmpty()) {
      patch.setAdditionalProperties(new LinkedHashMap<>(Map.of(templatePath.get(0), node)));
    }
    return patch;
  }

  private static Map<String, Object> nameAndImage(String name, String image) {
    Map<String, Object> entry =
        new LinkedHashMap<>(); // name first: the list's merge key, as people write it
    entry.put("name", name);
    entry.put("image", image);
    return entry;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> listOf(Map<String, Object> podSpec, String field) {
    return (List<Map<String, Object>>) podSpec.computeIfAbsent(field, f -> new ArrayList<>());
  }

  static Set<String> conflictingManagers(KubernetesClientException e) {
    Set<String> owners = new TreeSet<>();
    if (e.getStatus() != null && e.getStatus().getDetails() != null) {
      for (StatusCause cause : e.getStatus().getDetails().getCauses()) {
        collect(cause.getMessage(), owners);
      }
    }
    if (owners.isEmpty()) {
      collect(e.getMessage(), owners);
    }
    return owners;
  }

  private static void collect(String message, Set<String> owners) {
    if (message == null) {
      return;
    }
    Matcher m = CONFLICTING_MANAGER.matcher(message);
    while (m.find()) {
      owners.add(m.group(1));
    }
  }
}
