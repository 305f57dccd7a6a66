package dev.freshet.app;

import static dev.freshet.app.AppConditions.DEGRADED;
import static dev.freshet.app.AppConditions.PROGRESSING;
import static dev.freshet.app.AppConditions.READY;
import static dev.freshet.app.AppConditions.condition;

import dev.freshet.app.api.App;
import dev.freshet.app.api.AppStatus;
import dev.freshet.app.api.HistoryEntry;
import dev.freshet.app.api.ImageStatus;
import dev.freshet.update.RolloutState;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns what one reconcile observed into the App's status: the one status builder, for a reconcile
 * that succeeded and one that failed. Pure: no clock, no client.
 */
public final class AppStatusCalculator {

  /**
   * The update engine's part of the status: the image record, the rollout history and the {@code
   * UpToDate} condition, always carried whole.
   */
  public record UpdatePart(ImageStatus image, List<HistoryEntry> history, Condition upToDate) {

    /** What the status said before: a failed reconcile changes nothing of the record. */
    public static UpdatePart unchanged(AppStatus previous) {
      if (previous == null) {
        return new UpdatePart(null, null, null);
      }
      Condition upToDate =
          Optional.ofNullable(previous.getConditions()).orElse(List.of()).stream()
              .filter(c -> AppConditions.UP_TO_DATE.equals(c.getType()))
              .findFirst()
              .orElse(null);
      return new UpdatePart(
          previous.getImage() == null ? null : Serialization.clone(previous.getImage()),
          previous.getHistory() == null ? null : new ArrayList<>(previous.getHistory()),
          upToDate);
    }
  }

  /**
   * Why a reconcile failed: the conditions' reason ({@code ReconcileError}, or a more telling one)
   * and what a person can act on.
   */
  public record Failure(String reason, String message) {}

  private AppStatusCalculator() {}

  /**
   * @param workload the workload's state, or null if there is none yet
   * @param blockers messages about objects that stop Freshet from creating the App's own
   * @param error the failure of this reconcile: its reason, and a message for a person to act on;
   *     or null
   * @param update the image record, history and {@code UpToDate} condition to carry
   */
  public static AppStatus compute(
      App app,
      RolloutState workload,
      List<String> blockers,
      Failure error,
      UpdatePart update,
      Instant now) {
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
    status.setImage(update.image());
    status.setHistory(update.history());

    List<Condition> conditions =
        new ArrayList<>(conditions(app, workload, blockers, error, generation));
    if (update.upToDate() != null) {
      conditions.add(update.upToDate());
    }
    status.setConditions(
        AppConditions.merge(previous == null ? null : previous.getConditions(), conditions, now));
    return status;
  }

  private static List<Condition> conditions(
      App app, RolloutState workload, List<String> blockers, Failure error, long generation) {
    String kind = app.getSpec().getWorkload().name();
    if (!blockers.isEmpty()) {
      String message = String.join(" ", blockers);
      return List.of(
          condition(READY, false, "Blocked", message, generation),
          condition(PROGRESSING, false, "Blocked", message, generation),
          condition(DEGRADED, true, "Blocked", message, generation));
    }
    if (error != null) {
      // Ready still says what the pods do: a failed reconcile does not stop a running workload.
      Condition ready =
          conditions(app, workload, List.of(), null, generation).stream()
              .filter(c -> READY.equals(c.getType()))
              .findFirst()
              .orElseThrow();
      return List.of(
          ready,
          condition(PROGRESSING, false, error.reason(), error.message(), generation),
          condition(DEGRADED, true, error.reason(), error.message(), generation));
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
              READY, workload.isDone(), "RolloutStalled", workload.stalledMessage(), generation),
          condition(PROGRESSING, false, "RolloutStalled", workload.stalledMessage(), generation),
          condition(DEGRADED, true, "RolloutStalled", workload.stalledMessage(), generation));
    }
    if (workload.isDone()) {
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
}
