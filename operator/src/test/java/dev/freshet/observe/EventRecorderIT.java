package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The same news twice is one Event with count 2; different news is another Event. */
@WithTestbed
class EventRecorderIT {

  @Test
  void repeatsBumpTheCountOfOneEvent(KubernetesClient client) {
    ConfigMap subject =
        client
            .resource(
                new ConfigMapBuilder().withNewMetadata().withName("subject").endMetadata().build())
            .create();
    var events = new EventRecorder(client, "freshet", Clock.systemUTC());

    events.record(subject, EventReason.Blocked, "Service x is in the way");
    events.record(subject, EventReason.Blocked, "Service x is in the way");
    events.record(subject, EventReason.Created, "Deployment subject created");

    var recorded = client.v1().events().list().getItems();
    assertThat(recorded)
        .filteredOn(e -> "Blocked".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getCount()).isEqualTo(2);
              assertThat(e.getType()).isEqualTo("Warning");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo(subject.getMetadata().getUid());
              assertThat(e.getSource().getComponent()).isEqualTo("freshet");
            });
    assertThat(recorded)
        .filteredOn(e -> "Created".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getCount()).isEqualTo(1));
  }
}
