package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.app.api.ServiceSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Resolution;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.retry.GradualRetry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an App's workload and Service as declared. Reads as a script: find what blocks the App,
 * apply the owned objects, then record status, written only when it changed.
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

  public AppReconciler(EventRecorder events, AppUpdates updates, Clock clock) {
    this.events = events;
    this.updates = updates;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, App>> prepareEventSources(EventSourceContext<App> context) {
    var sources =
        new ArrayList<>(
            EventSourceUtils.dependentEventSources(context, deployment, statefulSet, service));
    sources.add(updates.eventSource(context.getPrimaryCache()));
    return sources;
  }

  @Override
  public UpdateControl<App> reconcile(App app, Context<App> context) {
    Instant now = clock.instant();
    AppStatus original = copy(app.getStatus());
    // The registry's answer is recorded in the status first: the desired workload pins what the
    // status says, so the pin and its record never disagree.
    Optional<Resolution> resolution = updates.follow(app);
    ImageStatus image = AppImages.next(app, resolution);
    ImageStatus previousImage = original == null ? null : original.getImage();
    if (app.getStatus() == null) {
      app.setStatus(new AppStatus());
    }
    app.getStatus().setImage(image);
    if (app.getSpec().getWorkload() != Workload.StatefulSet) {
      // StatefulSets have no progress deadline: their rollouts are not gated (yet).
      deployment.existing(app).filter(d -> Ownership.isOwnedBy(d, app)).ifPresent(d ->
          AppRollbacks.rejectStalled(app, image, WorkloadState.of(d),
                  d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
              .ifPresent(message -> events.warning(app, "RolledBack", message)));
    }
    boolean newAnswer =
        previousImage == null
            || !java.util.Objects.equals(previousImage.getCheckedAt(), image.getCheckedAt());
    if (newAnswer
        && resolution.isPresent()
        && resolution.get() instanceof Resolution.Failed failed) {
      events.warning(app, "Registry" + failed.reason(), failed.message());
    }
    if (newAnswer && resolution.isPresent() && resolution.get() instanceof Resolution.Found found) {
      found
          .refusedHint()
          .ifPresent(
              hint ->
                  events.warning(
                      app,
                      "HintRefused",
                      "a webhook named "
                          + hint
                          + " for tag "
                          + found.tag()
                          + ", but the registry serves "
                          + found.digest()
                          + "; only the registry's digest is deployed"));
    }

    var blockers = new ArrayList<String>();
    WorkloadState workload = reconcileWorkload(app, context, blockers);
    // After the patch, not before: the Event's two API calls stay off the rollout's path.
    if (blockers.isEmpty() && AppImages.startsRollout(previousImage, image)) {
      events.normal(app, "RollingOut", "rolling to " + AppImages.wanted(app));
    }
    if (app.getSpec().getService().getType() == ServiceSpec.Type.None) {
      deleteOwned(service, app, context);
    } else {
      apply(service, app, context, blockers);
    }
    if (!blockers.isEmpty()) {
      events.warning(app, "Blocked", String.join(" ", blockers));
    }
    app.setStatus(original);
    AppStatus status = AppStatusCalculator.compute(app, workload, blockers, null, now);
    AppUpdates.withRunning(withImage(app, image), image, workload);
    status.setImage(image);
    status.setHistory(
        AppUpdates.history(
            original == null ? null : original.getHistory(), previousImage, image, workload, now));
    var conditions = new ArrayList<>(status.getConditions());
    conditions.add(AppUpdates.upToDate(app, image, resolution, status.getObservedGeneration()));
    status.setConditions(
        AppConditions.merge(original == null ? null : original.getConditions(), conditions, now));
    return statusUpdate(app, status);
  }

  /** The App as the dependents saw it: with the image block of this reconcile. */
  private static App withImage(App app, ImageStatus image) {
    var seen = new App();
    seen.setMetadata(app.getMetadata());
    seen.setSpec(app.getSpec());
    var status = new AppStatus();
    status.setImage(image);
    seen.setStatus(status);
    return seen;
  }

  private static AppStatus copy(AppStatus status) {
    return status == null ? null : Serialization.clone(status);
  }

  @Override
  public ErrorStatusUpdateControl<App> updateErrorStatus(
      App app, Context<App> context, Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    log.warn(
        "Reconciling App {}/{} failed; it will be retried: {}",
        app.getMetadata().getNamespace(),
        app.getMetadata().getName(),
        message);
    var status =
        AppStatusCalculator.compute(
            app, currentWorkload(app).orElse(null), List.of(), message, clock.instant());
    if (sameStatus(app.getStatus(), status)) {
      return ErrorStatusUpdateControl.noStatusUpdate();
    }
    app.setStatus(status);
    unlock(app);
    return ErrorStatusUpdateControl.patchStatus(app);
  }

  private WorkloadState reconcileWorkload(App app, Context<App> context, List<String> blockers) {
    if (app.getSpec().getWorkload() == Workload.StatefulSet) {
      return apply(statefulSet, app, context, blockers).map(WorkloadState::of).orElse(null);
    }
    return apply(deployment, app, context, blockers).map(WorkloadState::of).orElse(null);
  }

  private Optional<WorkloadState> currentWorkload(App app) {
    if (app.getSpec().getWorkload() == Workload.StatefulSet) {
      return statefulSet
          .existing(app)
          .filter(s -> Ownership.isOwnedBy(s, app))
          .map(WorkloadState::of);
    }
    return deployment.existing(app).filter(d -> Ownership.isOwnedBy(d, app)).map(WorkloadState::of);
  }

  /** Applies one owned object unless an object Freshet does not own holds its name. */
  private <R extends HasMetadata> Optional<R> apply(
      OwnedDependent<R> dependent, App app, Context<App> context, List<String> blockers) {
    var existing = dependent.existing(app);
    if (existing.isPresent() && !Ownership.isOwnedBy(existing.get(), app)) {
      blockers.add(Ownership.blockedMessage(dependent.kind(), existing.get()));
      return Optional.empty();
    }
    var result = dependent.reconcile(app, context);
    String what = dependent.kind() + " " + app.getMetadata().getName();
    switch (result.getSingleOperation()) {
      case CREATED -> events.normal(app, "Created", what + " created");
      case UPDATED -> events.normal(app, "Updated", what + " updated to the declared state");
      default -> {}
    }
    return result.getSingleResource();
  }

  private <R extends HasMetadata> void deleteOwned(
      OwnedDependent<R> dependent, App app, Context<App> context) {
    var existing = dependent.existing(app).filter(object -> Ownership.isOwnedBy(object, app));
    if (existing.isPresent()) {
      context.getClient().resource(existing.get()).delete();
      events.normal(
          app, "Deleted", dependent.kind() + " " + app.getMetadata().getName() + " deleted");
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
