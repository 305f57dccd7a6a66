package dev.freshet.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.app.api.App;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.ImageChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.dependent.ReconcileResult.Operation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one reconcile wrote becomes one Event per kind of write. The recorder is a subclass that
 * keeps what it is given: writing Events is {@code EventRecorderIT}'s subject, against an API
 * server.
 */
class OwnedWritesTest {

  private final List<String> recorded = new ArrayList<>();
  private final EventRecorder events =
      new EventRecorder(null, "freshet", Clock.systemUTC()) {
        @Override
        public void record(
            HasMetadata regarding, EventReason reason, String message, ImageChange change) {
          recorded.add(reason + ": " + message);
        }
      };

  @Test
  void objectsCreatedTogetherAreToldInOneEvent() {
    var written = new OwnedWrites();
    written.add(Operation.CREATED, "Deployment web");
    written.add(Operation.CREATED, "Service web");

    written.record(events, new App());

    assertThat(recorded).containsExactly("Created: Deployment web and Service web created");
  }

  @Test
  void createdAndUpdatedAreToldApartAndUnchangedObjectsNotAtAll() {
    var written = new OwnedWrites();
    written.add(Operation.NONE, "Deployment web");
    written.add(Operation.UPDATED, "Service web");

    written.record(events, new App());

    assertThat(recorded).containsExactly("Updated: Service web updated to the declared state");
  }

  @Test
  void aWorkloadUpdateToldAsARolloutIsNotToldAgain() {
    var written = new OwnedWrites();
    written.add(Operation.UPDATED, "Deployment web");
    written.add(Operation.UPDATED, "Service web");

    written.toldAsRollout("Deployment web");
    written.record(events, new App());

    assertThat(recorded).containsExactly("Updated: Service web updated to the declared state");
  }

  @Test
  void aReconcileThatWroteNothingRecordsNothing() {
    new OwnedWrites().record(events, new App());

    assertThat(recorded).isEmpty();
  }
}
