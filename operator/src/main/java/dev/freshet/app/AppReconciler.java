package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.ServiceSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.Failures;
import dev.freshet.observe.ImageChange;
import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.Resolution;
import dev.freshet.update.Custody;
import dev.freshet.update.Decision;
import dev.freshet.update.ImagePins;
import dev.freshet.update.Pin;
import dev.freshet.update.PullSecretRefused;
import dev.freshet.update.RolloutState;
import dev.freshet.update.SignatureChecks;
import dev.freshet.update.SignatureGate;
import dev.freshet.update.StuckPods;
import dev.freshet.update.UpdateEngine;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an App's workload and Service as declared, and its image on what the update engine decides.
 * Reads as a script: ask the engine, record its decision, apply the owned objects, record the
 * status. The decision is recorded in {@code status.image} before the workload is patched, so a
 * process that dies in between resumes the same rollout instead of guessing.
 */
@ControllerConfiguration(name = AppReconciler.NAME, fieldManager = AppReconciler.FIELD_MANAGER)
@GradualRetry(maxAttempts = -1, initialInterval = 500, intervalMultiplier = 2, maxInterval = 60_000)
public class AppReconciler implements Reconciler<App> {

  public static final String NAME = "app";
  public static final String FIELD_MANAGER = "freshet";
  private static final Logger log = LoggerFactory.getLogger(AppReconciler.class);

  private final DeploymentDependent deployment = new DeploymentDependent();
  private final StatefulSetDependent statefulSet = new StatefulSetDependent();
  private final ServiceDependent service = new ServiceDependent();
  private final EventRecorder events;
  private final AppUpdates updates;
  private final Clock clock;

  private final WorkloadStates states;

  public AppReconciler(
      EventRecorder events, AppUpdates updates, Clock clock, WorkloadStates states) {
    this.events = events;
    this.updates = updates;
    this.clock = clock;
    this.states = states;
  }

  @Override
  public List<EventSource<?, App>> prepareEventSources(EventSourceContext<App> context) {
    var sources =
        new ArrayList<>(
            EventSourceUtils.dependentEventSources(context, deployment, statefulSet, service));
    sources.add(updates.eventSource(context.getPrimaryCache()));
    states.count("App", () -> context.getPrimaryCache().list(), AppConditions::state);
    return sources;
  }

  @Override
  public UpdateControl<App> reconcile(App app, Context<App> context) {
    if (app.unreadableSpec().isPresent()) {
      // Reported by the controller's filter; an event of an owned object can still land here.
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    AppStatus before = app.getStatus() == null ? null : Serialization.clone(app.getStatus());
    // Read first: building the history below changes its entries in place.
    Optional<String> rollingTo = AppUpdates.inProgress(before == null ? null : before.getHistory());
    Optional<Resolution> answer = updates.follow(app);
    Optional<HasMetadata> existing = ownedWorkload(app);
    Optional<String> templateImage = existing.map(AppReconciler::templateImage);
    // A StatefulSet keeps no progress deadline, so Freshet judges its rollout against the App's.
    Duration deadline = Duration.ofSeconds(DesiredDeployment.progressDeadline(app));
    Optional<Instant> pinnedAt = AppImages.record(app).pinnedAt();
    Optional<RolloutState> rollout =
        existing.flatMap(w -> RolloutState.of(w, deadline, pinnedAt, now));
    Decision decision = decide(app, templateImage, answer, rollout, updates.gate(app), now);
    String wanted = AppImages.wanted(app, decision);

    ImageStatus image = AppImages.next(app, answer, decision, now);
    var history =
        AppUpdates.history(
            app, before == null ? null : before.getHistory(), decision, Optional.empty(), now);
    // A person's request is consumed below: what it changed is written first.
    if (AppImages.pinChanged(before == null ? null : before.getImage(), image)
        || AppCustody.of(app).hasRequest()) {
      Optional<RolloutState> afterPatch =
          awaitsVerifiedImage(app, decision)
              ? rollout
              : existing.flatMap(w -> RolloutState.of(asPatched(w, templateImage, wanted)));
      AppStatus intent =
          recordIntent(app, context, afterPatch, answer, decision, image, history, now);
      // What the API server now holds: the status after the patch is compared with it, and a
      // rollout that goes as foreseen writes no status until it ends.
      app.setStatus(Serialization.clone(intent));
    }
    reportAnswer(app, before, image, answer);
    reportUntrusted(app, before, decision);
    reportWait(app, before, image, decision);
    reportCustody(app, before, decision, context);

    var blockers = new ArrayList<String>();
    var written = new OwnedWrites();
    ChosenImage.put(context, wanted);
    Optional<RolloutState> workload =
        awaitsVerifiedImage(app, decision)
            ? rollout
            : reconcileWorkload(app, context, blockers, written);
    // After the patch, not before: the Event's API call stays off the rollout's path. Only a
    // template that really changed starts a rollout, so a repeated reconcile records nothing twice.
    if (decision instanceof Decision.RollForward forward && !forward.isFirstPin()) {
      events.record(
          app,
          EventReason.UpdateFound,
          "the registry serves " + forward.to() + " for " + app.getSpec().getImage(),
          change(app, forward.from(), forward.to()));
    }
    if (blockers.isEmpty() && templateImage.isPresent() && !templateImage.get().equals(wanted)) {
      reportRollout(app, decision, wanted);
      written.toldAsRollout(workloadDependent(app).label(app));
      if (decision instanceof Decision.RollBack rollBack && !rollBack.asked()) {
        new StuckPods(context.getClient())
            .deleteAfterRollback(existing.get(), List.of(rollBack.failed().digest()));
      }
    }
    try {
      if (app.getSpec().getService().getType() == ServiceSpec.Type.None) {
        deleteOwned(service, app, context);
      } else {
        apply(service, app, context, blockers, written);
      }
    } finally {
      // The workload's write is told even when the Service's fails.
      written.record(events, app);
    }
    if (!blockers.isEmpty()) {
      events.record(app, EventReason.Blocked, String.join(" ", blockers));
    }

    Optional<Pin> completed = workload.filter(RolloutState::isDone).flatMap(w -> decision.target());
    AppImages.withCompleted(image, completed);
    history =
        AppUpdates.history(
            app, before == null ? null : before.getHistory(), decision, completed, now);
    AppUpdates.justSucceeded(rollingTo, history)
        .ifPresent(
            entry ->
                events.record(
                    app,
                    EventReason.RolledOut,
                    "every replica runs " + completed.get().on(app.getSpec().getImage()),
                    change(
                        app,
                        Optional.ofNullable(entry.getFromDigest())
                            .map(d -> new Pin(entry.getTag(), d)),
                        completed.get())));
    long generation = generation(app);
    var update =
        new AppStatusCalculator.UpdatePart(
            image, history, AppUpdates.upToDate(app, image, answer, decision, generation));
    UpdateControl<App> control =
        statusUpdate(
            app,
            AppStatusCalculator.compute(app, workload.orElse(null), blockers, null, update, now));
    // A wait that ends by itself (a window opens, a digest comes of age) needs no poll to end it,
    // and a stuck rollout sends no event: look again when the earlier of the two comes.
    Optional<Duration> recheck =
        existing.flatMap(w -> RolloutState.untilDeadline(w, deadline, pinnedAt, now));
    if (decision instanceof Decision.Wait wait && wait.recheckAfter(now).isPresent()) {
      Duration untilWaitEnds = wait.recheckAfter(now).get();
      recheck =
          Optional.of(recheck.filter(d -> d.compareTo(untilWaitEnds) < 0).orElse(untilWaitEnds));
    }
    if (decision instanceof Decision.Untrusted untrusted && !untrusted.quarantine()) {
      // Unsigned yet or not looked up: CI may sign soon, and the same digest wakes no one.
      Duration signatures = SignatureChecks.RECHECK_AFTER;
      recheck = Optional.of(recheck.filter(d -> d.compareTo(signatures) < 0).orElse(signatures));
    }
    return recheck.map(control::rescheduleAfter).orElse(control);
  }

  /**
   * The engine's decision, for an App whose image Freshet follows; the declared image otherwise.
   */
  private static Decision decide(
      App app,
      Optional<String> templateImage,
      Optional<Resolution> answer,
      Optional<RolloutState> rollout,
      SignatureGate gate,
      Instant now) {
    if (!AppImages.follows(app.getSpec())) {
      return new Decision.Stay(Optional.empty(), "the image is not kept fresh");
    }
    String declared = app.getSpec().getImage();
    Optional<Pin> running =
        templateImage
            .flatMap(image -> ImagePins.pinOf(image, declared))
            // Under the digest policy the tag is the App's: a pin of another tag is another image.
            .filter(pin -> AppImages.policy(app.getSpec()).choosesTags() || sameTag(pin, declared));
    return UpdateEngine.decide(
        running,
        AppImages.record(app),
        answer,
        rollout,
        AppCustody.of(app),
        gate,
        AppWaits.of(app),
        now);
  }

  /**
   * True while an App that runs only signed images has no verified digest yet: its workload is
   * neither created nor changed, because a template naming the bare tag would let the kubelet pull
   * whatever the tag points at, signed or not.
   */
  private static boolean awaitsVerifiedImage(App app, Decision decision) {
    return AppUpdates.verifyConfig(app).isPresent()
        && AppImages.follows(app.getSpec())
        && decision.target().isEmpty();
  }

  /**
   * An Event when a digest is withheld or refused for its signature, once per new reason: the
   * {@code UpToDate} condition already carries it between changes.
   */
  private void reportUntrusted(App app, AppStatus before, Decision decision) {
    if (!(decision instanceof Decision.Untrusted untrusted)) {
      return;
    }
    String message =
        untrusted.candidate()
            + " is not rolled out: "
            + untrusted.why()
            + (untrusted.quarantine() ? "; it is quarantined and will not be tried again" : "");
    boolean alreadySaid =
        before != null
            && before.getConditions() != null
            && before.getConditions().stream()
                .anyMatch(
                    c ->
                        AppConditions.UP_TO_DATE.equals(c.getType())
                            && untrusted.reason().equals(c.getReason())
                            && c.getMessage() != null
                            && c.getMessage().startsWith(untrusted.candidate() + " "));
    if (!alreadySaid) {
      events.record(app, EventReason.valueOf(untrusted.reason()), message);
    }
  }

  /**
   * Events for a hold that starts or ends, and a person's requests consumed: called once the status
   * recording what they changed is written, so a restart before it finds them still asked.
   */
  private void reportCustody(App app, AppStatus before, Decision decision, Context<App> context) {
    if (decision instanceof Decision.Hold hold
        && !AppConditions.hasReason(before, AppConditions.UP_TO_DATE, "Held")) {
      events.record(app, EventReason.Held, hold.why());
    }
    Optional<String> unreadable = AppCustody.unreadableRollback(app);
    if (unreadable.isPresent()) {
      consume(app, context, Map.of(Custody.ROLLBACK_ANNOTATION, ""));
      events.record(
          app,
          EventReason.RollbackRefused,
          Custody.ROLLBACK_ANNOTATION
              + ": \""
              + unreadable.get()
              + "\" names no tag@digest (freshet rollback writes it)");
    }
    Custody custody = AppCustody.of(app);
    if (!custody.hasRequest()) {
      return;
    }
    consume(app, context, Custody.consumed(custody));
    if (custody.resumeAsked()) {
      events.record(app, EventReason.Resumed, "updates resumed by a person");
    }
    if (!custody.released().isEmpty()) {
      events.record(
          app,
          EventReason.Released,
          "released from quarantine by a person: "
              + String.join(", ", new java.util.TreeSet<>(custody.released())));
    }
    if (custody.rollbackTo().isPresent()
        && decision instanceof Decision.Stay stay
        && !stay.target()
            .map(p -> p.digest().equals(custody.rollbackTo().get().digest()))
            .orElse(false)) {
      events.record(app, EventReason.RollbackRefused, stay.why());
    }
  }

  /** Removes a person's request annotations ({@code keys}; their values do not matter). */
  private static void consume(App app, Context<App> context, Map<String, String> keys) {
    var removed = new java.util.HashMap<String, String>();
    keys.keySet().forEach(key -> removed.put(key, null));
    context
        .getClient()
        .resource(app)
        .patch(
            new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
            Serialization.asJson(Map.of("metadata", Map.of("annotations", removed))));
  }

  private static boolean sameTag(Pin pin, String declared) {
    return ImagePins.tag(declared).map(pin.tag()::equals).orElse(false);
  }

  /**
   * The workload as the patch to {@code wanted} will leave it: a new template bumps its generation,
   * which its controller has not yet observed, so its rollout reads as started and not done.
   */
  private static HasMetadata asPatched(
      HasMetadata workload, Optional<String> templateImage, String wanted) {
    if (templateImage.map(wanted::equals).orElse(false)) {
      return workload;
    }
    HasMetadata patched = Serialization.clone(workload);
    Long generation = patched.getMetadata().getGeneration();
    patched.getMetadata().setGeneration(generation == null ? 1 : generation + 1);
    return patched;
  }

  /**
   * Writes the status with the new pin before the workload is patched: the whole status, built as
   * the final one is and with the workload as the patch will leave it ({@code afterPatch}), applied
   * under the same field manager, so the two writes never disagree on who owns a field and the
   * status after the patch is most often this one.
   */
  private AppStatus recordIntent(
      App app,
      Context<App> context,
      Optional<RolloutState> afterPatch,
      Optional<Resolution> answer,
      Decision decision,
      ImageStatus image,
      List<dev.freshet.app.api.HistoryEntry> history,
      Instant now) {
    var update =
        new AppStatusCalculator.UpdatePart(
            image, history, AppUpdates.upToDate(app, image, answer, decision, generation(app)));
    AppStatus status =
        AppStatusCalculator.compute(app, afterPatch.orElse(null), List.of(), null, update, now);
    var intent = new App();
    intent.setMetadata(
        new ObjectMetaBuilder()
            .withName(app.getMetadata().getName())
            .withNamespace(app.getMetadata().getNamespace())
            .build());
    intent.setStatus(status);
    context
        .getClient()
        .resource(intent)
        .subresource("status")
        .patch(
            new PatchContext.Builder()
                .withFieldManager(FIELD_MANAGER)
                .withForce(true)
                .withPatchType(PatchType.SERVER_SIDE_APPLY)
                .build());
    return status;
  }

  /** The image fields of a change of the App's container from one pin to another. */
  private static ImageChange change(App app, Optional<Pin> from, Pin to) {
    return ImageChange.of(
        PodTemplates.CONTAINER,
        app.getSpec().getImage(),
        to.tag(),
        from.map(Pin::digest),
        to.digest());
  }

  private void reportRollout(App app, Decision decision, String wanted) {
    if (decision instanceof Decision.RollBack rollBack && rollBack.asked()) {
      events.record(
          app,
          EventReason.RolledBack,
          "rolled back from "
              + rollBack.failed()
              + " to "
              + wanted
              + " as a person asked; "
              + rollBack.failed().digest()
              + " is quarantined until released (freshet unquarantine)",
          change(app, Optional.of(rollBack.failed()), rollBack.target().get()));
    } else if (decision instanceof Decision.RollBack rollBack) {
      events.record(
          app,
          EventReason.RolledBack,
          "rollout of "
              + rollBack.failed()
              + " did not become available within "
              + DesiredDeployment.progressDeadline(app)
              + " s ("
              + rollBack.why()
              + "); rolled back to "
              + wanted
              + "; "
              + rollBack.failed().digest()
              + " is quarantined and will not be tried again",
          change(app, Optional.of(rollBack.failed()), rollBack.target().get()));
    } else if (decision instanceof Decision.Resume resume) {
      events.record(
          app,
          EventReason.RollingOut,
          "resuming the rollout to " + wanted,
          change(app, Optional.empty(), resume.to()));
    } else if (decision instanceof Decision.RollForward forward) {
      events.record(
          app,
          EventReason.RollingOut,
          "rolling to " + wanted,
          change(app, forward.from(), forward.to()));
    } else {
      events.record(app, EventReason.RollingOut, "rolling to " + wanted);
    }
  }

  /**
   * One {@code Waiting} Event per pending digest and what it waits for: the pending record in the
   * status says whether this wait was reported already.
   */
  private void reportWait(App app, AppStatus before, ImageStatus image, Decision decision) {
    if (!(decision instanceof Decision.Wait wait)) {
      return;
    }
    var previous =
        before == null || before.getImage() == null ? null : before.getImage().getPending();
    boolean reported =
        previous != null
            && wait.candidate().digest().equals(previous.getDigest())
            && wait.reason().waitingFor().equals(previous.getWaitingFor());
    if (!reported) {
      events.record(app, EventReason.Waiting, wait.reason().condition() + ": " + wait.why());
    }
  }

  /** Events for a new registry answer: once per answer, not once per reconcile. */
  private void reportAnswer(
      App app, AppStatus before, ImageStatus image, Optional<Resolution> answer) {
    ImageStatus previous = before == null ? null : before.getImage();
    boolean newAnswer =
        previous == null
            || !java.util.Objects.equals(previous.getCheckedAt(), image.getCheckedAt());
    if (!newAnswer || answer.isEmpty()) {
      return;
    }
    if (answer.get() instanceof Resolution.Failed failed) {
      events.record(
          app,
          EventReason.registry(failed.reason()),
          failed.message(),
          ImageChange.of(PodTemplates.CONTAINER, app.getSpec().getImage()));
    } else if (answer.get() instanceof Resolution.Found found) {
      found
          .refusedHint()
          .ifPresent(
              hint ->
                  events.record(
                      app,
                      EventReason.HintRefused,
                      "a webhook named "
                          + hint
                          + " for tag "
                          + found.tag()
                          + ", but the registry serves "
                          + found.digest()
                          + "; only the registry's digest is deployed"));
    }
  }

  /**
   * A failed reconcile changes nothing of the update engine's record: the status keeps its image
   * block, history and {@code UpToDate} condition whole, and says what failed in words a person can
   * act on. One log line per retry; the stack trace is at DEBUG.
   */
  @Override
  public ErrorStatusUpdateControl<App> updateErrorStatus(
      App app, Context<App> context, Exception e) {
    if (Failures.isGone(e)
        && context.getPrimaryCache().get(ResourceID.fromResource(app)).isEmpty()) {
      // The App was deleted while it was reconciled: there is no status left to write.
      log.debug("App {} is gone: {}", app.getMetadata().getName(), e.getMessage());
      return ErrorStatusUpdateControl.<App>noStatusUpdate().withNoRetry();
    }
    String message = Failures.describe(e);
    // A refused pull secret is the spec's fault, not the cluster's: named for what it is, so the
    // App's owner finds it among their Events; it is retried all the same (the same backoff), as
    // the reference may be fixed in the service account, which triggers no reconcile.
    EventReason reason =
        Failures.causedBy(e, PullSecretRefused.class)
            ? EventReason.PullSecretRefused
            : EventReason.ReconcileError;
    log.warn(
        "Reconciling App {}/{} failed; it will be retried: {}",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        message);
    log.debug("The failure of App {}'s reconcile", app.getMetadata().getName(), e);
    var status =
        AppStatusCalculator.compute(
            app,
            ownedWorkload(app).flatMap(RolloutState::of).orElse(null),
            List.of(),
            new AppStatusCalculator.Failure(reason.name(), message),
            AppStatusCalculator.UpdatePart.unchanged(app.getStatus()),
            clock.instant());
    if (sameStatus(app.getStatus(), status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    events.record(app, reason, message);
    app.setStatus(status);
    unlock(app);
    return ErrorStatusUpdateControl.patchStatus(app);
  }

  private Optional<RolloutState> reconcileWorkload(
      App app, Context<App> context, List<String> blockers, OwnedWrites written) {
    if (app.getSpec().getWorkload() == Workload.StatefulSet) {
      return apply(statefulSet, app, context, blockers, written).map(RolloutState::of);
    }
    return apply(deployment, app, context, blockers, written).map(RolloutState::of);
  }

  private OwnedDependent<? extends HasMetadata> workloadDependent(App app) {
    return app.getSpec().getWorkload() == Workload.StatefulSet ? statefulSet : deployment;
  }

  /** The App's workload as the informer last saw it, if the App owns it. */
  private Optional<HasMetadata> ownedWorkload(App app) {
    return workloadDependent(app)
        .existing(app)
        .filter(w -> Ownership.isOwnedBy(w, app))
        .map(HasMetadata.class::cast);
  }

  private static String templateImage(HasMetadata workload) {
    PodTemplateSpec template =
        workload instanceof StatefulSet s
            ? s.getSpec().getTemplate()
            : ((Deployment) workload).getSpec().getTemplate();
    return template.getSpec().getContainers().stream()
        .filter(c -> PodTemplates.CONTAINER.equals(c.getName()))
        .findFirst()
        .map(io.fabric8.kubernetes.api.model.Container::getImage)
        .orElse("");
  }

  /** Applies one owned object unless an object Freshet does not own holds its name. */
  private <R extends HasMetadata> Optional<R> apply(
      OwnedDependent<R> dependent,
      App app,
      Context<App> context,
      List<String> blockers,
      OwnedWrites written) {
    var existing = dependent.existing(app);
    if (existing.isPresent() && !Ownership.isOwnedBy(existing.get(), app)) {
      blockers.add(Ownership.blockedMessage(dependent.kind(), existing.get()));
      return Optional.empty();
    }
    var result = dependent.reconcile(app, context);
    written.add(result.getSingleOperation(), dependent.label(app));
    return result.getSingleResource();
  }

  private <R extends HasMetadata> void deleteOwned(
      OwnedDependent<R> dependent, App app, Context<App> context) {
    var existing = dependent.existing(app).filter(object -> Ownership.isOwnedBy(object, app));
    if (existing.isPresent()) {
      context.getClient().resource(existing.get()).delete();
      events.record(app, EventReason.Deleted, dependent.label(app) + " deleted");
    }
  }

  private UpdateControl<App> statusUpdate(App app, AppStatus status) {
    if (sameStatus(app.getStatus(), status)) {
      return UpdateControl.noUpdate();
    }
    app.setStatus(status);
    unlock(app);
    return UpdateControl.patchStatus(app);
  }

  private static long generation(App app) {
    return app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
  }

  /**
   * The status is Freshet's alone, so it is applied without optimistic locking: a spec change since
   * this reconcile began triggers another reconcile anyway, and a 409 would only add a retry.
   */
  private static void unlock(App app) {
    app.getMetadata().setResourceVersion(null);
  }

  private static boolean sameStatus(AppStatus before, AppStatus after) {
    return StatusComparison.equal(before, after);
  }
}
