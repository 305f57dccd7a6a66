package dev.freshet.app;

import dev.freshet.app.api.App;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The owned objects one reconcile created or put back, told in one Event per kind of write
 * ("Deployment web and Service web created") rather than one per object: an Event costs a write on
 * the reconcile's path, and at a cold start of many Apps those writes were half the API server's
 * work.
 */
final class OwnedWrites {
  private final List<String> created = new ArrayList<>();
  private final List<String> updated = new ArrayList<>();

  /** Notes what the apply of {@code object} ("Deployment web") did. */
  void add(ReconcileResult.Operation operation, String object) {
    switch (operation) {
      case CREATED -> created.add(object);
      case UPDATED -> updated.add(object);
      default -> {}
    }
  }

  /**
   * The update of {@code object} ("Deployment web") was a rollout, told by its own {@code
   * RollingOut} or {@code RolledBack} Event: an {@code Updated} Event beside it would cost a second
   * write on the rollout's path to say less.
   */
  void toldAsRollout(String object) {
    updated.remove(object);
  }

  /** Records an Event for the objects created, and one for those updated, if any. */
  void record(EventRecorder events, App app) {
    if (!created.isEmpty()) {
      events.record(app, EventReason.Created, String.join(" and ", created) + " created");
    }
    if (!updated.isEmpty()) {
      events.record(
          app,
          EventReason.Updated,
          String.join(" and ", updated) + " updated to the declared state");
    }
  }
}
