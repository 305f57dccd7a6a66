package dev.freshet.tracked;

import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.Failures;
import dev.freshet.observe.ImageChange;
import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.ImageWatch;
import dev.freshet.poll.PolicySpec;
import dev.freshet.poll.Poller;
import dev.freshet.poll.Resolution;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidReferenceException;
import dev.freshet.registry.auth.Credential;
import dev.freshet.update.Custody;
import dev.freshet.update.Decision;
import dev.freshet.update.ImageFieldApplier;
import dev.freshet.update.ImageFieldApplier.TemplateContainer;
import dev.freshet.update.ImagePins;
import dev.freshet.update.ImageRecord;
import dev.freshet.update.Pin;
import dev.freshet.update.PullSecretCredentials;
import dev.freshet.update.PullSecretRefused;
import dev.freshet.update.RolloutState;
import dev.freshet.update.SignatureChecks;
import dev.freshet.update.SignatureGate;
import dev.freshet.update.StuckPods;
import dev.freshet.update.UpdateEngine;
import dev.freshet.update.Waits;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Keeps a Deployment, StatefulSet, DaemonSet or CronJob that Freshet did not create on the newest
 * image its {@code freshet.dev/*} annotations ask for. Each tracked container (init containers when
 * named, see {@link TrackedPolicy#covers}) subscribes to the poller; when the registry's answer
 * differs from what the pod template names, only the image field changes (see {@link
 * ImageFieldApplier}) and the workload's own rollout strategy does the rest. What was found and
 * done is recorded in {@code status.freshet.dev/*} annotations and Events.
 */
public class TrackedWorkloadReconciler<W extends HasMetadata> implements Reconciler<W> {
  private final WorkloadKind<W> kind;
  private final Poller poller;
  private final PullSecretCredentials credentials;
  private final SignatureChecks signatures;
  private final TrackedStatusWriter statusWriter;
  private final EventRecorder events;
  private final StuckPods stuckPods;
  private final Clock clock;
  private final WorkloadStates states;

  /**
   * When to look again after a write refused because the workload changed since it was read. The
   * change's own event normally comes first; this is the bound if it does not.
   */
  private static final Duration STALE_RETRY = Duration.ofSeconds(2);

  private final SimpleInboundEventSource<W> pollResults =
      new SimpleInboundEventSource<>("poll-results");

  /** A reconciler of {@code kind} made of the parts every kind shares. */
  TrackedWorkloadReconciler(WorkloadKind<W> kind, TrackedReconcilers.Parts p) {
    this.kind = kind;
    this.poller = p.poller();
    this.credentials = p.credentials();
    this.signatures = p.signatures();
    this.statusWriter = p.status();
    this.events = p.events();
    this.stuckPods = p.stuckPods();
    this.clock = p.clock();
    this.states = p.states();
  }

  @Override
  public List<EventSource<?, W>> prepareEventSources(EventSourceContext<W> context) {
    states.count(
        kind.name(),
        () ->
            context
                .getPrimaryCache()
                .list()
                .filter(w -> TrackedAnnotations.isTracked(w.getMetadata().getAnnotations())),
        w -> TrackedStatus.state(w.getMetadata().getAnnotations()));
    return List.of(pollResults);
  }

  @Override
  public UpdateControl<W> reconcile(W workload, Context<W> context) {
    String subscriberPrefix = subscriberPrefix(workload);
    Map<String, String> annotations = workload.getMetadata().getAnnotations();
    if (!TrackedAnnotations.isTracked(annotations)
        || workload.getMetadata().getDeletionTimestamp() != null) {
      poller.unwatchAll(subscriberPrefix, Set.of());
      statusWriter.clear(workload, kind.templatePath());
      return UpdateControl.noUpdate();
    }
    TrackedPolicy policy;
    try {
      policy = TrackedAnnotations.parse(annotations);
    } catch (IllegalArgumentException invalid) {
      poller.unwatchAll(subscriberPrefix, Set.of());
      events.record(workload, EventReason.InvalidAnnotation, invalid.getMessage());
      statusWriter.write(
          workload,
          kind.templatePath(),
          TrackedStatusWriter.problem(workload, invalid.getMessage()));
      return UpdateControl.noUpdate();
    }

    if (kind == WorkloadKind.DEPLOYMENT
        && annotations.containsKey(TrackedAnnotations.PROGRESS_DEADLINE)) {
      String message =
          TrackedAnnotations.PROGRESS_DEADLINE
              + " is for StatefulSets and DaemonSets: a Deployment keeps its own deadline, set"
              + " spec.progressDeadlineSeconds instead";
      events.record(workload, EventReason.InvalidAnnotation, message);
      statusWriter.write(
          workload, kind.templatePath(), TrackedStatusWriter.problem(workload, message));
      return UpdateControl.noUpdate();
    }

    PodTemplateSpec template = kind.template().apply(workload);
    Instant now = clock.instant();
    Custody custody = custody(annotations);
    Optional<Map<String, Pin>> rollbackTo =
        TrackedRecord.pins(annotations.get(Custody.ROLLBACK_ANNOTATION));
    Map<String, Pin> newPins = new TreeMap<>();
    Map<String, Decision.RollBack> rollBacks = new TreeMap<>();
    Map<String, Pin> completed = new TreeMap<>();
    List<String> holds = new ArrayList<>();
    Optional<Duration> recheck = Optional.empty();
    // A resume is consumed only once the engine acted on it (the registry may not have answered).
    boolean decided = false;
    ResourceID id = ResourceID.fromResource(workload);
    Set<String> subscribers = new HashSet<>();
    Map<TemplateContainer, String> newImages = new LinkedHashMap<>();
    Map<TemplateContainer, Decision.RollForward> forwards = new LinkedHashMap<>();
    Map<String, String> trackedImages = new LinkedHashMap<>();
    var status = new TrackedStatusWriter.Builder(workload, clock);
    if (!custody.released().isEmpty()) {
      status.record(
          TrackedRecord.QUARANTINED,
          TrackedRecord.release(status.record(TrackedRecord.QUARANTINED), custody.released()));
    }
    Map<String, String> rollbacksRefused = new TreeMap<>();
    Map<String, TrackedWaits.PendingText> pendingBefore = TrackedWaits.pending(annotations);
    Set<String> approved = Waits.digests(annotations.get(Waits.APPROVE));
    Set<String> overrides = Waits.digests(annotations.get(Waits.WINDOW_OVERRIDE));

    for (Map.Entry<TemplateContainer, Container> entry : containers(template).entrySet()) {
      TemplateContainer slot = entry.getKey();
      Container container = entry.getValue();
      if (!policy.covers(slot.name(), slot.init())
          || policy.policy().kind() == PolicySpec.Kind.NONE) {
        continue;
      }
      ImageReference reference;
      try {
        reference = ImageReference.parse(container.getImage());
      } catch (InvalidReferenceException e) {
        status.problem(
            container.getName(),
            "image " + container.getImage() + " is invalid: " + e.getMessage());
        continue;
      }
      Optional<Credential> credential;
      try {
        credential =
            credentials.find(
                workload.getMetadata().getNamespace(), template.getSpec(), reference.registry());
      } catch (PullSecretRefused refused) {
        // The pod template is every container's: nothing of this workload is checked or rolled.
        poller.unwatchAll(subscriberPrefix, Set.of());
        events.record(workload, EventReason.PullSecretRefused, refused.getMessage());
        statusWriter.write(
            workload,
            kind.templatePath(),
            TrackedStatusWriter.problem(workload, refused.getMessage()));
        return UpdateControl.noUpdate();
      }
      var watch =
          new ImageWatch(
              reference.registry(),
              reference.repository(),
              reference.tagOrLatest(),
              policy.policy(),
              credential);
      String subscriber = subscriberPrefix + container.getName();
      subscribers.add(subscriber);
      poller.watch(subscriber, watch, policy.interval(), () -> pollResults.propagateEvent(id));

      Optional<Resolution> latest = poller.latest(watch);
      status.pinned(container.getName(), ImagePins.digest(container.getImage()));
      trackedImages.put(container.getName(), container.getImage());
      if (latest.isEmpty()) {
        // Until the registry answers again (after a start, a leader change) what waited still
        // waits: dropping it would restart its minimum age and report the wait once more.
        TrackedWaits.PendingText kept = pendingBefore.get(container.getName());
        if (kept != null) {
          String told = annotations.get(TrackedStatus.MESSAGE);
          status.waiting(
              container.getName(),
              kept,
              pendingBefore.size() == 1 && told != null
                  ? told
                  : kept.tag() + "@" + kept.digest() + " waits for " + kept.waitingFor());
        }
        continue;
      }
      Resolution resolution = latest.get();
      if (resolution instanceof Resolution.Found found) {
        status.found(container.getName(), found);
        found
            .refusedHint()
            .ifPresent(
                hint -> {
                  status.refusedHint(hint);
                  if (!hint.equals(annotations.get(TrackedStatus.REFUSED_HINT))) {
                    events.record(
                        workload,
                        EventReason.HintRefused,
                        "a webhook named "
                            + hint
                            + " for "
                            + reference.repository()
                            + ":"
                            + found.tag()
                            + ", but the registry serves "
                            + found.digest()
                            + "; only the registry's digest is deployed");
                  }
                });
      } else if (resolution instanceof Resolution.NoCandidate none) {
        status.checked(container.getName(), none.checkedAt(), none.reason());
      } else if (resolution instanceof Resolution.Failed failed) {
        String message = failed.reason() + ": " + failed.message();
        status.problem(container.getName(), message);
        // The same failure wakes no one; what may end it here (a pull secret created, its
        // service account given one) is read on a reconcile, so look again each interval.
        recheck = earliest(recheck, Optional.of(policy.interval()));
        status.checked(container.getName(), failed.checkedAt(), message);
        // Once per problem, not once per reconcile: the status annotation already carries it.
        if (!message.equals(annotations.get(TrackedStatus.MESSAGE))) {
          events.record(
              workload,
              EventReason.registry(failed.reason()),
              message,
              ImageChange.of(container.getName(), container.getImage()));
        }
      }
      // The record of the pin is written with the image (see TrackedRecord), so a template that
      // names another pin was changed by someone else, and the engine holds.
      Optional<Pin> running = ImagePins.pinOf(container.getImage(), container.getImage());
      ImageRecord record = TrackedRecord.of(annotations, container.getName());
      Optional<RolloutState> rollout =
          RolloutState.of(workload, policy.progressDeadline(), record.pinnedAt(), now);
      ImageReference image = reference;
      SignatureGate gate =
          policy.verify().isEmpty()
              ? SignatureGate.OPEN
              : candidate ->
                  signatures
                      .gate(
                          workload.getMetadata().getNamespace(),
                          policy.verify(),
                          image,
                          watch.credential())
                      .check(candidate);
      TrackedWaits.PendingText before = pendingBefore.get(container.getName());
      var waits =
          new Waits(
              policy.manualApproval(),
              policy.windows(),
              policy.minAge(),
              Optional.ofNullable(before).flatMap(TrackedWaits.PendingText::pending),
              approved,
              overrides);
      Decision decision =
          UpdateEngine.decide(
              running,
              record,
              latest,
              rollout,
              custody
                  .with(takenBy(workload, slot))
                  .asking(
                      rollbackTo.map(pins -> pins.get(container.getName())), custody.released()),
              gate,
              waits,
              now);
      decided = true;
      if (decision instanceof Decision.Hold hold) {
        holds.add(hold.why());
      } else if (decision instanceof Decision.RollBack back) {
        rollBacks.put(container.getName(), back);
        newPins.put(container.getName(), back.target().get());
      } else if (decision instanceof Decision.Untrusted untrusted) {
        reportUntrusted(workload, container.getName(), untrusted, status);
        if (!untrusted.quarantine()) {
          // Unsigned yet or not looked up: CI may sign soon, and the same digest wakes no one.
          recheck = earliest(recheck, Optional.of(SignatureChecks.RECHECK_AFTER));
        }
      } else if (decision instanceof Decision.Wait wait) {
        var pending = TrackedWaits.PendingText.of(wait);
        status.waiting(container.getName(), pending, wait.reason().condition() + ": " + wait.why());
        // Once per pending digest and reason: the pending annotation says whether it was reported.
        if (before == null
            || !before.digest().equals(pending.digest())
            || !before.waitingFor().equals(pending.waitingFor())) {
          events.record(
              workload,
              EventReason.Waiting,
              container.getName() + ": " + wait.reason().condition() + ": " + wait.why());
        }
        recheck = earliest(recheck, wait.recheckAfter(now));
      } else if (decision instanceof Decision.Stay stay) {
        Optional<Pin> asked = rollbackTo.map(pins -> pins.get(container.getName()));
        if (asked.isPresent()
            && !stay.target().map(p -> p.digest().equals(asked.get().digest())).orElse(false)) {
          rollbacksRefused.put(container.getName(), stay.why());
        }
        if (custody.resumeAsked()) {
          // The person's image becomes Freshet's pin again, written as usual with the image.
          running.ifPresent(pin -> newPins.put(container.getName(), pin));
        }
        if (running.isPresent()
            && (record.pinned().isEmpty() || running.equals(record.pinned()))
            && rollout.map(RolloutState::isDone).orElse(false)) {
          completed.put(container.getName(), running.get());
        }
        if (resolution instanceof Resolution.Found found && record.isQuarantined(found.digest())) {
          // Said at every reconcile, not only the first: the quarantine outlives the Event.
          status.problem(
              container.getName(),
              found.digest()
                  + " is quarantined: it failed its health gate or its signature check (see "
                  + TrackedRecord.QUARANTINED
                  + ")");
        }
      } else {
        if (decision instanceof Decision.RollForward forward) {
          forwards.put(slot, forward);
        }
        newPins.put(container.getName(), decision.target().get());
      }
      if (!newPins.containsKey(container.getName()) || decision instanceof Decision.Stay) {
        recheck =
            earliest(
                recheck,
                RolloutState.untilDeadline(
                    workload, policy.progressDeadline(), record.pinnedAt(), now));
      }
      if (newPins.containsKey(container.getName())) {
        newImages.put(slot, newPins.get(container.getName()).on(container.getImage()));
      }
    }
    poller.unwatchAll(subscriberPrefix, subscribers);
    rollbackTo.ifPresent(
        pins ->
            pins.keySet().stream()
                .filter(name -> !trackedImages.containsKey(name))
                .forEach(
                    name ->
                        rollbacksRefused.put(
                            name, "no container of this name has its image kept fresh")));

    if (!holds.isEmpty()) {
      // A person holds the workload: nothing of it changes, whatever the other containers found,
      // but for a rollback a person asked for.
      newImages
          .keySet()
          .removeIf(
              c -> !Optional.ofNullable(rollBacks.get(c.name())).map(b -> b.asked()).orElse(false));
      String why = holds.get(0);
      status.record(TrackedRecord.HELD, why);
      if (!why.equals(annotations.get(TrackedRecord.HELD))) {
        events.record(workload, EventReason.Held, why);
      }
    }
    if (!completed.isEmpty()) {
      status.record(
          TrackedRecord.LAST_GOOD,
          TrackedRecord.withPins(status.record(TrackedRecord.LAST_GOOD), completed));
    }
    if (!newImages.isEmpty()) {
      // A rollback's quarantine, and a release, go in the same apply as the image they let change:
      // no reconcile sees the image without them, to retry a failed digest or to take the image
      // for a rollback left half done.
      rollBacks.forEach((c, back) -> status.quarantine(c, back.failed().digest()));
      Map<String, String> pinRecord = new TreeMap<>();
      pinRecord.put(
          TrackedRecord.PINNED,
          TrackedRecord.withPins(annotations.get(TrackedRecord.PINNED), newPins));
      pinRecord.put(TrackedRecord.PINNED_AT, now.truncatedTo(ChronoUnit.SECONDS).toString());
      List<String> changes = new ArrayList<>();
      newImages.forEach(
          (container, image) -> {
            if (!image.equals(currentImage(template, container))) {
              changes.add(now + " " + container.name() + "=" + image);
            }
          });
      // Always sent once there is one: an apply that left it out would delete it.
      String history = TrackedRecord.withHistory(annotations.get(TrackedStatus.HISTORY), changes);
      if (!history.isEmpty()) {
        pinRecord.put(TrackedStatus.HISTORY, history);
      }
      String updatedAt =
          changes.isEmpty() ? annotations.get(TrackedStatus.UPDATED_AT) : now.toString();
      if (updatedAt != null) {
        pinRecord.put(TrackedStatus.UPDATED_AT, updatedAt);
      }
      newImages.forEach(
          (container, image) -> {
            if (!image.equals(currentImage(template, container))) {
              status.updated(container.name(), image);
            }
          });
      status.rolledOut(RolloutState.of(workload).map(RolloutState::isDone).orElse(false));
      Map<String, String> pinned = status.build();
      ImageFieldApplier.Result result =
          statusWriter.pin(
              workload, kind.templatePath(), newImages, pinRecord, pinned, policy.force());
      if (result instanceof ImageFieldApplier.Result.Stale) {
        // Nothing changed; the request a person made waits for the reconcile of the newer copy.
        return UpdateControl.<W>noUpdate().rescheduleAfter(STALE_RETRY);
      }
      if (!(result instanceof ImageFieldApplier.Result.Applied)) {
        // The person's image did not become Freshet's pin: the resume must wait for a next try.
        decided = false;
        status.notUpdated();
      }
      if (result instanceof ImageFieldApplier.Result.Applied applied) {
        String takeover =
            applied.tookOverFrom().isEmpty()
                ? ""
                : " (image field taken over from "
                    + String.join(", ", applied.tookOverFrom())
                    + ")";
        newImages.forEach(
            (container, image) -> {
              Decision.RollBack back = rollBacks.get(container.name());
              Decision.RollForward forward = forwards.get(container);
              ImageChange change =
                  change(
                      container.name(),
                      image,
                      forward == null
                          ? Optional.ofNullable(back).map(b -> b.failed().digest())
                          : forward.from().map(Pin::digest));
              if (back != null && back.asked()) {
                events.record(
                    workload,
                    EventReason.RolledBack,
                    container
                        + ": rolled back from "
                        + back.failed()
                        + " to "
                        + image
                        + " as a person asked; "
                        + back.failed().digest()
                        + " is quarantined until released (freshet unquarantine)",
                    change);
              } else if (back != null) {
                events.record(
                    workload,
                    EventReason.RolledBack,
                    container
                        + ": rollout of "
                        + back.failed()
                        + " failed its health gate ("
                        + back.why()
                        + "); rolled back to "
                        + image
                        + "; "
                        + back.failed().digest()
                        + " is quarantined and will not be tried again",
                    change);
              } else if (!image.equals(currentImage(template, container))) {
                if (forward != null && !forward.isFirstPin()) {
                  events.record(
                      workload,
                      EventReason.UpdateFound,
                      container + ": the registry serves " + forward.to(),
                      change);
                }
                events.record(
                    workload,
                    EventReason.RollingOut,
                    container + " rolling to " + image + takeover,
                    change);
              }
            });
        List<String> failed =
            rollBacks.values().stream()
                .filter(b -> !b.asked())
                .map(b -> b.failed().digest())
                .toList();
        if (!failed.isEmpty()) {
          stuckPods.deleteAfterRollback(workload, failed);
        }
        reportRolledOut(workload, annotations, pinned, trackedImages);
        reportRequests(workload, annotations, custody, decided, rollbacksRefused);
        return recheck.map(control()::rescheduleAfter).orElse(control());
      } else if (result instanceof ImageFieldApplier.Result.Refused refused) {
        events.record(workload, EventReason.OwnershipConflict, refused.message());
        newImages.keySet().forEach(c -> status.problem(c.name(), refused.message()));
      } else if (result instanceof ImageFieldApplier.Result.Invalid invalid) {
        String message = Failures.describe(invalid.refusal());
        events.record(workload, EventReason.ReconcileError, message);
        newImages.keySet().forEach(c -> status.problem(c.name(), message));
      }
    }
    status.rolledOut(RolloutState.of(workload).map(RolloutState::isDone).orElse(false));
    Map<String, String> written = status.build();
    if (!statusWriter.write(workload, kind.templatePath(), written)) {
      return UpdateControl.<W>noUpdate().rescheduleAfter(STALE_RETRY);
    }
    reportRolledOut(workload, annotations, written, trackedImages);
    // After the record: a request consumed changes the workload, which the record's apply, made
    // from the copy read, would then find stale.
    reportRequests(workload, annotations, custody, decided, rollbacksRefused);
    // A wait that ends by itself (a window opens, a digest comes of age) and a stuck rollout (it
    // sends no event) need no poll to be seen.
    return recheck.map(control()::rescheduleAfter).orElse(control());
  }

  private UpdateControl<W> control() {
    return UpdateControl.noUpdate();
  }

  /**
   * Consumes a person's requests once the engine acted on them (the registry may not have answered
   * yet), and says what became of them. A rollback annotation that names no pins is refused and
   * consumed, never left lying unread.
   */
  private void reportRequests(
      W workload,
      Map<String, String> annotations,
      Custody custody,
      boolean decided,
      Map<String, String> rollbacksRefused) {
    String rollback = annotations.get(Custody.ROLLBACK_ANNOTATION);
    boolean unreadable = rollback != null && TrackedRecord.pins(rollback).isEmpty();
    if (unreadable) {
      events.record(
          workload,
          EventReason.RollbackRefused,
          Custody.ROLLBACK_ANNOTATION
              + ": \""
              + rollback
              + "\" names no container=tag@digest pins (freshet rollback writes it)");
    }
    if (!decided && !unreadable) {
      return;
    }
    Map<String, String> consumed =
        new java.util.HashMap<>(decided ? Custody.consumed(custody) : Map.of());
    // A rollback names its pins per container, outside the workload's custody.
    if (unreadable || (decided && rollback != null)) {
      consumed.put(Custody.ROLLBACK_ANNOTATION, null);
    }
    if (consumed.isEmpty()) {
      return;
    }
    statusWriter.consume(workload, consumed.keySet());
    if (!decided) {
      return;
    }
    if (custody.resumeAsked()) {
      events.record(workload, EventReason.Resumed, "updates resumed by a person");
    }
    if (!custody.released().isEmpty()) {
      events.record(
          workload,
          EventReason.Released,
          "released from quarantine by a person: "
              + String.join(", ", new java.util.TreeSet<>(custody.released())));
    }
    rollbacksRefused.forEach(
        (container, why) ->
            events.record(workload, EventReason.RollbackRefused, container + ": " + why));
  }

  /**
   * What the workload's annotations say of a person's hold. A hold Freshet found is not read back
   * from {@link TrackedRecord#HELD}: it lasts as long as its cause, the template or its image field
   * changed by someone else, which the API server keeps and only Freshet's resume undoes. Read
   * back, a stale copy of the workload could bring a resumed hold back.
   */
  private static Custody custody(Map<String, String> annotations) {
    Optional<String> held =
        annotations.containsKey(TrackedAnnotations.HOLD)
            ? Optional.of(
                "held by a person ("
                    + TrackedAnnotations.HOLD
                    + "); freshet resume lets Freshet update it again")
            : Optional.empty();
    return new Custody(held, annotations.containsKey(TrackedAnnotations.RESUME), true)
        .asking(
            Optional.empty(), Custody.released(annotations.get(Custody.UNQUARANTINE_ANNOTATION)));
  }

  /**
   * The managers of {@code slot}'s image field, when Freshet's is not among them: someone else set
   * the image since Freshet pinned it.
   */
  private Optional<String> takenBy(W workload, TemplateContainer slot) {
    Set<String> managers =
        ImageFieldApplier.imageManagers(workload, kind.templatePath()).getOrDefault(slot, Set.of());
    if (managers.isEmpty() || managers.contains(ImageFieldApplier.FIELD_MANAGER)) {
      return Optional.empty();
    }
    return Optional.of(String.join(", ", managers));
  }

  private static Optional<Duration> earliest(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    return Optional.of(a.get().compareTo(b.get()) <= 0 ? a.get() : b.get());
  }

  /**
   * A digest withheld or refused for its signature: the container's problem in the status, the
   * refused digest quarantined, and an Event when the message is new.
   */
  private void reportUntrusted(
      W workload,
      String container,
      Decision.Untrusted untrusted,
      TrackedStatusWriter.Builder status) {
    String message =
        untrusted.reason()
            + ": "
            + untrusted.candidate()
            + " is not rolled out: "
            + untrusted.why()
            + (untrusted.quarantine() ? "; it is quarantined" : "");
    status.problem(container, message);
    if (untrusted.quarantine()) {
      status.quarantine(container, untrusted.candidate().digest());
    }
    String said = workload.getMetadata().getAnnotations().get(TrackedStatus.MESSAGE);
    if (said == null || !said.contains(message)) {
      events.record(workload, EventReason.valueOf(untrusted.reason()), container + ": " + message);
    }
  }

  /**
   * A {@code RolledOut} Event for each container whose running digest this reconcile records anew,
   * after an update Freshet applied ({@code updated-at} is set): once per pin, since the next
   * reconcile finds the same digest recorded.
   */
  private void reportRolledOut(
      W workload,
      Map<String, String> before,
      Map<String, String> after,
      Map<String, String> images) {
    String was = before.get(TrackedStatus.RUNNING_DIGEST);
    String is = after.get(TrackedStatus.RUNNING_DIGEST);
    if (is == null || is.equals(was) || !before.containsKey(TrackedStatus.UPDATED_AT)) {
      return;
    }
    Map<String, String> previous = perContainer(was, images.keySet());
    perContainer(is, images.keySet())
        .forEach(
            (container, digest) -> {
              String image = images.get(container);
              if (digest.equals(previous.get(container)) || image == null) {
                return;
              }
              events.record(
                  workload,
                  EventReason.RolledOut,
                  container + ": every replica runs " + image,
                  change(container, image, Optional.ofNullable(previous.get(container))));
            });
  }

  /** A running-digest annotation read back: {@code c1=sha256:…,c2=…}, or one digest alone. */
  private static Map<String, String> perContainer(String value, Set<String> containers) {
    Map<String, String> digests = new LinkedHashMap<>();
    if (value == null) {
      return digests;
    }
    if (!value.contains("=")) {
      if (containers.size() == 1) {
        digests.put(containers.iterator().next(), value);
      }
      return digests;
    }
    for (String pair : value.split(",")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        digests.put(pair.substring(0, eq), pair.substring(eq + 1));
      }
    }
    return digests;
  }

  /** The image fields of {@code container}'s move to {@code pinned} ({@code repo:tag@digest}). */
  private static ImageChange change(String container, String pinned, Optional<String> from) {
    Optional<String> tag = ImagePins.tag(pinned);
    return new ImageChange(
        Optional.of(container),
        Optional.of(ImagePins.name(pinned) + tag.map(t -> ":" + t).orElse("")),
        tag,
        from,
        ImagePins.digest(pinned));
  }

  private static String currentImage(PodTemplateSpec template, TemplateContainer slot) {
    return Optional.ofNullable(
            slot.init()
                ? template.getSpec().getInitContainers()
                : template.getSpec().getContainers())
        .orElse(List.of())
        .stream()
        .filter(c -> c.getName().equals(slot.name()))
        .findFirst()
        .map(Container::getImage)
        .orElse("");
  }

  /**
   * The template's init containers and containers, in the order the pod runs them. Names are unique
   * across both lists in a valid pod spec, so status annotations name a container by its name
   * alone.
   */
  private static Map<TemplateContainer, Container> containers(PodTemplateSpec template) {
    Map<TemplateContainer, Container> all = new LinkedHashMap<>();
    Optional.ofNullable(template.getSpec().getInitContainers())
        .orElse(List.of())
        .forEach(c -> all.put(TemplateContainer.initContainer(c.getName()), c));
    Optional.ofNullable(template.getSpec().getContainers())
        .orElse(List.of())
        .forEach(c -> all.put(TemplateContainer.regular(c.getName()), c));
    return all;
  }

  String kindName() {
    return kind.name();
  }

  WorkloadKind<W> kind() {
    return kind;
  }

  private String subscriberPrefix(W workload) {
    return kind.name()
        + "/"
        + workload.getMetadata().getNamespace()
        + "/"
        + workload.getMetadata().getName()
        + "/";
  }
}
