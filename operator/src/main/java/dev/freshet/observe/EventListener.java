package dev.freshet.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Hears each piece of news the {@link EventRecorder} records, once: a repeat that only bumps an
 * existing Event's count is not heard again. Called on the recorder's writing thread, after the
 * Event was written (or failed to be); an implementation must return at once and never block on a
 * network.
 */
@FunctionalInterface
public interface EventListener {
  EventListener NONE = (regarding, reason, message, change) -> {};

  void recorded(HasMetadata regarding, EventReason reason, String message, ImageChange change);

  /** Both listeners hear each piece of news, this one first. */
  default EventListener andThen(EventListener next) {
    return (regarding, reason, message, change) -> {
      recorded(regarding, reason, message, change);
      next.recorded(regarding, reason, message, change);
    };
  }
}
