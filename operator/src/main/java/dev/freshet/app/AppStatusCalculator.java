package dev.freshet.app;

import static dev.freshet.app.AppConditions.DEGRADED;
import static dev.freshet.app.AppConditions.PROGRESSING;
import static dev.freshet.app.AppConditions.READY;
import static dev.freshet.app.AppConditions.condition;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.ImageStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;

/** Turns what one reconcile observed into the App's status. Pure: no clock, no client. */
public final class AppStatusCalculator {

  private AppStatusCalculator() {}

  /**
   * @param workload the workload's state, or null if there is none yet
   * @param blockers messages about objects that stop Freshet from creating the App's own
   * @param error the failure of this reconcile, or null
   */
  public static AppStatus compute(
      App app, WorkloadState workload, List<String> blockers, String error, Instant now) {
    long generation =
        app.getMetadata().getGeneration() == null ? 0 : app.getMetadata().getGeneration();
    var previous = app.getStatus();
    var status = new AppStatus();
    status.setObservedGeneration(generation);
    int desired = app.getSpec().getReplicas();
    int ready = workload == null ? 0 : workload.ready();
    status.setReplicas(workload == null ? 0 : workload.replicas());
    status.setReadyReplicas(ready);
    status.setUpdatedReplicas(workload == null ? 0 : workload.updated());
    status.setReady(ready + "/" + desired);
    status.setImage(image(app, previous));
    status.setHistory(previous == null ? null : previous.getHistory());

    List<Condition> conditions = conditions(app, workload, blockers, error, generation);
    status.setConditions(
        AppConditions.merge(previous == null ? null : previous.getConditions(), conditions, now));
    return status;
  }

  private static List<Condition> conditions(
      App app, WorkloadState workload, List<String> blockers, String error, long generation) {
    String kind = app.getSpec().getWorkload().name();
    if (!blockers.isEmpty()) {
      String message = String.join(" ", blockers);
      return List.of(
          condition(READY, false, "Blocked", message, generation),
          condition(PROGRESSING, false, "Blocked", message, generation),
          condition(DEGRADED, true, "Blocked", message, generation));
    }
    if (error != null) {
      return List.of(
          condition(
              READY, workload != null && workload.isReady(), "ReconcileError", error, generation),
          condition(PROGRESSING, false, "ReconcileError", error, generation),
          condition(DEGRADED, true, "ReconcileError", error, generation));
    }
    if (workload == null) {
      String message = kind + " is being created";
      return List.of(
          condition(READY, false, "Creating", message, generation),
          condition(PROGRESSING, true, "Creating", message, generation),
          condition(DEGRADED, false, "AsExpected", "", generation));
    }
    if (workload.stalledMessage() != null) {
      return List.of(
          condition(
              READY, workload.isReady(), "RolloutStalled", workload.stalledMessage(), generation),
          condition(PROGRESSING, false, "RolloutStalled", workload.stalledMessage(), generation),
          condition(DEGRADED, true, "RolloutStalled", workload.stalledMessage(), generation));
    }
    if (workload.isReady()) {
      String message = "%d/%d replicas ready".formatted(workload.ready(), workload.desired());
      return List.of(
          condition(READY, true, "Ready", message, generation),
          condition(PROGRESSING, false, "Complete", kind + " is rolled out", generation),
          condition(DEGRADED, false, "AsExpected", "", generation));
    }
    String message =
        "%d/%d replicas ready, %d up to date"
            .formatted(workload.ready(), workload.desired(), workload.updated());
    return List.of(
        condition(READY, false, "RollingOut", message, generation),
        condition(PROGRESSING, true, "RollingOut", message, generation),
        condition(DEGRADED, false, "AsExpected", "", generation));
  }

  /** The tag as declared; digests come with the update engine, so they are carried over. */
  private static ImageStatus image(App app, AppStatus previous) {
    var image = new ImageStatus();
    var before = previous == null ? null : previous.getImage();
    if (before != null) {
      image.setRunningDigest(before.getRunningDigest());
      image.setLatestDigest(before.getLatestDigest());
      image.setCheckedAt(before.getCheckedAt());
      image.setUpdatedAt(before.getUpdatedAt());
    }
    image.setTag(ImageTags.tagOf(app.getSpec().getImage()));
    return image;
  }
}
