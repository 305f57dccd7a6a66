package dev.freshet.observe;

import static dev.freshet.it.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventRecorderTest {

  @Test
  void sameNewsGetsTheSameNameAndOtherNewsAnother() {
    var app = app("web");
    app.getMetadata().setUid("uid-1");

    String blocked = EventRecorder.eventName(app, "Warning", "Blocked", "Service x is in the way");
    String again = EventRecorder.eventName(app, "Warning", "Blocked", "Service x is in the way");
    String other = EventRecorder.eventName(app, "Normal", "Created", "Deployment web created");

    assertThat(blocked).isEqualTo(again).startsWith("web.").hasSize("web.".length() + 16);
    assertThat(other).isNotEqualTo(blocked);
  }
}
