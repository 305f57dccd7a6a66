package dev.freshet.tracked;

import dev.freshet.poll.Resolution;
import dev.freshet.update.ImageFieldApplier;
import dev.freshet.update.ImageFieldApplier.TemplateContainer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes Freshet's record of a tracked workload: the {@code status.freshet.dev/*} annotations, and
 * with a pin the image they record. Everything goes through {@link ImageFieldApplier} under one
 * field manager, so a pin and its status are one write: a rollout costs that write and the one that
 * records its end. An annotation that Freshet stops sending is removed by the apply itself.
 *
 * <p>Freshet once wrote the status under a manager of its own ({@link
 * ImageFieldApplier#LEGACY_STATUS_MANAGER}). The first write to a workload that still has its entry
 * takes the annotations over (the apply is forced), then applies nothing under the old manager,
 * which removes what only it still owned: annotations the new record no longer has. In that order,
 * a stop between the two leaves the full record in place and the next write finishes the move.
 */
public final class TrackedStatusWriter {

  private final KubernetesClient client;
  private final ImageFieldApplier applier;

  public TrackedStatusWriter(KubernetesClient client, ImageFieldApplier applier) {
    this.client = client;
    this.applier = applier;
  }

  /**
   * Applies {@code status} unless the workload already carries that, but for {@code checked-at}:
   * that annotation says when the registry gave the answer that last changed something, and is
   * written only with such a change. Every write of an annotation bumps a Deployment's {@code
   * metadata.generation} and makes the deployment controller write its status, so a steady state
   * writes nothing; when each image was last checked is in the poller's metrics.
   *
   * @return false if the workload changed since {@code workload} was read: nothing was written, and
   *     the change's own event brings the next reconcile
   */
  public boolean write(
      HasMetadata workload, List<String> templatePath, Map<String, String> status) {
    Map<String, String> current = TrackedStatus.of(workload.getMetadata().getAnnotations());
    if (sameButCheckedAt(current, status) && !hasLegacyEntry(workload)) {
      return true;
    }
    Map<String, String> record = new TreeMap<>(pinRecord(workload));
    record.putAll(status);
    return written(workload, applier.applyRecord(workload, templatePath, record));
  }

  /**
   * Sets {@code images} with {@code pinRecord} (see {@link TrackedRecord}) and the {@code status}
   * they make, in one apply.
   */
  public ImageFieldApplier.Result pin(
      HasMetadata workload,
      List<String> templatePath,
      Map<TemplateContainer, String> images,
      Map<String, String> pinRecord,
      Map<String, String> status,
      boolean force) {
    Map<String, String> record = new TreeMap<>(pinRecord);
    record.putAll(status);
    ImageFieldApplier.Result result = applier.apply(workload, templatePath, images, record, force);
    if (result instanceof ImageFieldApplier.Result.Applied) {
      retireLegacyEntry(workload);
    }
    return result;
  }

  private boolean written(HasMetadata workload, ImageFieldApplier.Result result) {
    if (result instanceof ImageFieldApplier.Result.Invalid invalid) {
      throw invalid.refusal();
    }
    if (result instanceof ImageFieldApplier.Result.Stale) {
      return false;
    }
    retireLegacyEntry(workload);
    return true;
  }

  /** The annotations written with the image, as {@code workload} carries them. */
  private static Map<String, String> pinRecord(HasMetadata workload) {
    Map<String, String> record = new TreeMap<>();
    Optional.ofNullable(workload.getMetadata().getAnnotations())
        .orElse(Map.of())
        .forEach(
            (k, v) -> {
              if (TrackedRecord.WRITTEN_WITH_IMAGE.contains(k)) {
                record.put(k, v);
              }
            });
    return record;
  }

  static boolean hasLegacyEntry(HasMetadata workload) {
    return Optional.ofNullable(workload.getMetadata().getManagedFields()).orElse(List.of()).stream()
        .anyMatch(e -> ImageFieldApplier.LEGACY_STATUS_MANAGER.equals(e.getManager()));
  }

  /**
   * Applies nothing under the old status manager, once Freshet's own manager has taken the record
   * over: what only the old one owned is removed, and its entry with it.
   */
  private void retireLegacyEntry(HasMetadata workload) {
    if (!hasLegacyEntry(workload)) {
      return;
    }
    var nothing = named(workload);
    nothing.getMetadata().setUid(workload.getMetadata().getUid());
    try {
      client
          .resource(nothing)
          .fieldManager(ImageFieldApplier.LEGACY_STATUS_MANAGER)
          .forceConflicts()
          .serverSideApply();
    } catch (KubernetesClientException gone) {
      // Deleted since (the uid is a precondition, so an apply never creates it anew): there is
      // no entry left to retire.
      if (gone.getCode() != 404 && gone.getCode() != 409 && gone.getCode() != 422) {
        throw gone;
      }
    }
  }

  /**
   * An object that names {@code workload} and holds nothing else, to send a request for: the
   * workload given is the informer's own copy (see {@link UncopiedWorkloads}).
   */
  private static GenericKubernetesResource named(HasMetadata workload) {
    var named = new GenericKubernetesResource();
    named.setApiVersion(workload.getApiVersion());
    named.setKind(workload.getKind());
    named.setMetadata(
        new ObjectMetaBuilder()
            .withName(workload.getMetadata().getName())
            .withNamespace(workload.getMetadata().getNamespace())
            .build());
    return named;
  }

  private static boolean sameButCheckedAt(Map<String, String> current, Map<String, String> next) {
    Map<String, String> a = new LinkedHashMap<>(current);
    Map<String, String> b = new LinkedHashMap<>(next);
    String before = a.remove(TrackedStatus.CHECKED_AT);
    String after = b.remove(TrackedStatus.CHECKED_AT);
    return a.equals(b) && (before == null) == (after == null);
  }

  /**
   * Removes a person's request annotations ({@code keys}) once acted on: consumed by the one who
   * acts on them. A JSON merge patch, since a person's tool owns the annotations.
   */
  public void consume(HasMetadata workload, Set<String> keys) {
    Map<String, String> removed = new java.util.HashMap<>();
    keys.forEach(key -> removed.put(key, null));
    client
        .resource(named(workload))
        .patch(
            new io.fabric8.kubernetes.client.dsl.base.PatchContext.Builder()
                .withPatchType(io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE)
                .build(),
            io.fabric8.kubernetes.client.utils.Serialization.asJson(
                Map.of("metadata", Map.of("annotations", removed))));
  }

  /** Removes every status annotation, when a workload stops being tracked. */
  public void clear(HasMetadata workload, List<String> templatePath) {
    if (!TrackedStatus.of(workload.getMetadata().getAnnotations()).isEmpty()
        || hasLegacyEntry(workload)) {
      write(workload, templatePath, Map.of());
    }
  }

  /** A status that says only what is wrong, keeping the record of earlier updates. */
  static Map<String, String> problem(HasMetadata workload, String message) {
    Map<String, String> status =
        new LinkedHashMap<>(TrackedStatus.of(workload.getMetadata().getAnnotations()));
    status.put(TrackedStatus.UP_TO_DATE, "False");
    status.put(TrackedStatus.MESSAGE, message);
    return status;
  }

  /** Collects, container by container, what one reconcile learnt, and turns it into annotations. */
  static final class Builder {
    private final Map<String, String> previous;
    private final Clock clock;
    private final Map<String, Optional<String>> pinned = new TreeMap<>();
    private final Map<String, Resolution.Found> found = new TreeMap<>();
    private final Map<String, String> problems = new TreeMap<>();
    private final Map<String, String> updated = new TreeMap<>();
    private final Map<String, TrackedWaits.PendingText> pending = new TreeMap<>();
    private final Map<String, String> waiting = new TreeMap<>();
    private Instant checkedAt;
    private boolean rolledOut;
    private final Map<String, String> record = new LinkedHashMap<>();

    Builder(HasMetadata workload, Clock clock) {
      this.previous = TrackedStatus.of(workload.getMetadata().getAnnotations());
      this.clock = clock;
      // The engine's record outlives a reconcile; a hold lasts only while it is decided again.
      for (String kept : List.of(TrackedRecord.LAST_GOOD, TrackedRecord.QUARANTINED)) {
        if (previous.containsKey(kept)) {
          record.put(kept, previous.get(kept));
        }
      }
    }

    /** The current value of one of {@link TrackedRecord}'s status annotations, if any. */
    String record(String annotation) {
      return record.get(annotation);
    }

    /** Sets one of {@link TrackedRecord}'s status annotations; null removes it. */
    void record(String annotation, String value) {
      if (value == null) {
        record.remove(annotation);
      } else {
        record.put(annotation, value);
      }
    }

    void pinned(String container, Optional<String> digest) {
      pinned.put(container, digest);
    }

    void found(String container, Resolution.Found result) {
      found.put(container, result);
      checked(container, result.checkedAt(), null);
    }

    void checked(String container, Instant at, String message) {
      if (checkedAt == null || at.isAfter(checkedAt)) {
        checkedAt = at;
      }
      if (message != null && !(found.containsKey(container))) {
        problems.putIfAbsent(container, message);
      }
    }

    private String refusedHint;

    /** Quarantines {@code digest} for {@code container}, in the engine's record. */
    void quarantine(String container, String digest) {
      record(
          TrackedRecord.QUARANTINED,
          TrackedRecord.quarantine(record(TrackedRecord.QUARANTINED), container, digest));
    }

    void refusedHint(String digest) {
      refusedHint = digest;
    }

    void problem(String container, String message) {
      problems.put(container, message);
    }

    void updated(String container, String image) {
      updated.put(container, image);
      problems.remove(container);
    }

    /** The container's newer digest waits, for the reason {@code message} gives. */
    void waiting(String container, TrackedWaits.PendingText candidate, String message) {
      pending.put(container, candidate);
      waiting.put(container, message);
    }

    /** The apply of the images was refused: no container changes in this reconcile. */
    void notUpdated() {
      updated.clear();
    }

    void rolledOut(boolean complete) {
      this.rolledOut = complete;
    }

    Map<String, String> build() {
      Map<String, String> status = new LinkedHashMap<>();
      Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
      if (!found.isEmpty()) {
        status.put(TrackedStatus.LATEST_DIGEST, perContainer(found, Resolution.Found::digest));
        status.put(TrackedStatus.LATEST_TAG, perContainer(found, Resolution.Found::tag));
      }
      // What the pods run is the template's digest once its rollout completed, and what it was
      // before until then.
      Map<String, String> pinnedDigests = new TreeMap<>();
      pinned.forEach((c, d) -> d.ifPresent(digest -> pinnedDigests.put(c, digest)));
      if (rolledOut && updated.isEmpty() && !pinnedDigests.isEmpty()) {
        status.put(TrackedStatus.RUNNING_DIGEST, perContainer(pinnedDigests, d -> d));
      } else if (previous.containsKey(TrackedStatus.RUNNING_DIGEST)) {
        status.put(TrackedStatus.RUNNING_DIGEST, previous.get(TrackedStatus.RUNNING_DIGEST));
      }
      if (checkedAt != null) {
        status.put(TrackedStatus.CHECKED_AT, checkedAt.truncatedTo(ChronoUnit.SECONDS).toString());
      } else if (previous.containsKey(TrackedStatus.CHECKED_AT)) {
        status.put(TrackedStatus.CHECKED_AT, previous.get(TrackedStatus.CHECKED_AT));
      }
      String hint = refusedHint != null ? refusedHint : previous.get(TrackedStatus.REFUSED_HINT);
      if (hint != null) {
        status.put(TrackedStatus.REFUSED_HINT, hint);
      }
      // Up to date once every replica runs the newest digest, as an App's UpToDate condition says:
      // a template that names it while its rollout goes on is still rolling out. One status write
      // at the pin and one at the end, none along the rollout. Judged by the running digest this
      // status records, not by the rollout's state: each annotation write bumps a Deployment's
      // generation, and "rolled out" reads false until the controller has seen it, so judging by
      // it would flip this annotation at each write of its own.
      boolean running =
          !pinnedDigests.isEmpty()
              && perContainer(pinnedDigests, d -> d)
                  .equals(status.get(TrackedStatus.RUNNING_DIGEST));
      boolean upToDate =
          problems.isEmpty()
              && !found.isEmpty()
              && updated.isEmpty()
              && running
              && found.entrySet().stream()
                  .allMatch(
                      e ->
                          pinned
                              .getOrDefault(e.getKey(), Optional.empty())
                              .equals(Optional.of(e.getValue().digest())));
      status.putAll(record);
      upToDate = upToDate && !record.containsKey(TrackedRecord.HELD);
      status.put(TrackedStatus.UP_TO_DATE, upToDate ? "True" : "False");
      if (!pending.isEmpty()) {
        status.put(TrackedStatus.PENDING, TrackedWaits.write(pending));
      }
      // A problem is told before a wait: it is what a person must act on first.
      Map<String, String> told = problems.isEmpty() ? waiting : problems;
      if (!told.isEmpty()) {
        status.put(
            TrackedStatus.MESSAGE,
            told.size() == 1
                ? told.values().iterator().next()
                : told.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; ")));
      }
      return status;
    }

    private static <V> String perContainer(
        Map<String, V> values, java.util.function.Function<V, String> text) {
      if (values.size() == 1) {
        return text.apply(values.values().iterator().next());
      }
      return values.entrySet().stream()
          .map(e -> e.getKey() + "=" + text.apply(e.getValue()))
          .collect(Collectors.joining(","));
    }
  }
}
