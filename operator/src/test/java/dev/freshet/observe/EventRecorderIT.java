package dev.freshet.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The same news twice is one Event with count 2; different news is another Event. Events are
 * written by the recorder's own thread, in order, and a full queue drops and counts the rest.
 */
@WithTestbed
class EventRecorderIT {

  @Test
  void repeatsBumpTheCountOfOneEvent(KubernetesClient client) throws InterruptedException {
    ConfigMap subject = subject(client, "subject");
    var events = new EventRecorder(client, "freshet", Clock.systemUTC());

    events.record(subject, EventReason.Blocked, "Service x is in the way");
    events.record(subject, EventReason.Blocked, "Service x is in the way");
    events.record(subject, EventReason.Created, "Deployment subject created");
    assertThat(events.awaitWritten(Duration.ofSeconds(30))).isTrue();

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

  @Test
  void recordingReturnsAtOnceAndAFullQueueDropsAndCountsTheRest(KubernetesClient client)
      throws InterruptedException {
    ConfigMap subject = subject(client, "queued");
    var writerHeld = new CountDownLatch(1);
    var release = new CountDownLatch(1);
    List<String> heard = new CopyOnWriteArrayList<>();
    // The listener runs on the writing thread: holding it holds every Event behind the first.
    EventListener holding =
        (regarding, reason, message, change) -> {
          heard.add(message);
          writerHeld.countDown();
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    var meters = new SimpleMeterRegistry();
    var events =
        new EventRecorder(client, "freshet", Clock.systemUTC(), holding, 3).countingDropsIn(meters);

    events.record(subject, EventReason.Created, "news 0");
    assertThat(writerHeld.await(30, TimeUnit.SECONDS)).isTrue();
    for (int i = 1; i <= 5; i++) {
      events.record(subject, EventReason.Created, "news " + i);
    }
    // Three wait behind the held one; the last two found the queue full.
    assertThat(meters.get(EventRecorder.DROPPED).functionCounter().count()).isEqualTo(2);
    release.countDown();
    assertThat(events.awaitWritten(Duration.ofSeconds(30))).isTrue();

    assertThat(heard).containsExactly("news 0", "news 1", "news 2", "news 3");
    assertThat(client.v1().events().list().getItems())
        .filteredOn(e -> e.getInvolvedObject().getName().equals("queued"))
        .extracting(e -> e.getMessage())
        .containsExactlyInAnyOrder("news 0", "news 1", "news 2", "news 3");
  }

  private static ConfigMap subject(KubernetesClient client, String name) {
    return client
        .resource(new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }
}
