package dev.freshet.bench;

import java.time.Duration;

/**
 * What the webhook bench does: {@code apps} Apps over {@code images} images (App j uses image j mod
 * images), and {@code rate} notifications a second for {@code seconds} seconds, in rounds of {@code
 * roundSeconds}; slot k of a round notifies image k mod images.
 */
record NotificationPlan(int apps, int images, int rate, int seconds, int roundSeconds) {
  NotificationPlan {
    if (apps < images || rate < 1 || roundSeconds < 1 || seconds < roundSeconds) {
      throw new IllegalArgumentException(
          "need apps >= images, rate >= 1, seconds >= roundSeconds >= 1");
    }
    // A generic notification is signed over its time in whole seconds and its body, and the
    // receiver
    // refuses a signature it has seen (a replay): one image can be notified at most once a second.
    if (rate > images) {
      throw new IllegalArgumentException(
          "the rate ("
              + rate
              + "/s) must not exceed the number of images ("
              + images
              + "): identical notifications within a second are refused as replays");
    }
  }

  int rounds() {
    return seconds / roundSeconds;
  }

  int perRound() {
    return rate * roundSeconds;
  }

  int imageOf(int app) {
    return app % images;
  }

  int imageOfSlot(int slot) {
    return slot % images;
  }

  Duration offsetOfSlot(int slot) {
    return Duration.ofNanos(slot * 1_000_000_000L / rate);
  }
}
