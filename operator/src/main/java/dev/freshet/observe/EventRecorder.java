package dev.freshet.observe;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events about an object. The Event's name is derived from what it says, so the
 * same news repeated bumps one Event's count instead of adding a new one each time. Recording is
 * best effort: a failure is logged and never fails the caller's work. News that is not a repeat is
 * handed to an {@link EventListener} (notifications), which must not block.
 */
public class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final EventListener listener;

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this(client, component, clock, EventListener.NONE);
  }

  public EventRecorder(
      KubernetesClient client, String component, Clock clock, EventListener listener) {
    this.client = client;
    this.component = component;
    this.clock = clock;
    this.listener = listener;
  }

  /** Records that {@code regarding} went through {@code reason}; a repeat bumps the count. */
  public void record(HasMetadata regarding, EventReason eventReason, String message) {
    record(regarding, eventReason, message, ImageChange.NONE);
  }

  /**
   * Records the Event and, unless it repeats one already recorded, tells the listener, with the
   * image fields the message speaks of.
   */
  public void record(
      HasMetadata regarding, EventReason eventReason, String message, ImageChange change) {
    if (write(regarding, eventReason, message)) {
      return;
    }
    try {
      listener.recorded(regarding, eventReason, message, change);
    } catch (RuntimeException e) {
      // A listener's fault must not fail the reconcile that had news.
      log.warn("The listener of event {} failed: {}", eventReason, e.toString());
    }
  }

  /**
   * Writes the Event; true when it only repeated one the API server holds (its count bumped). An
   * Event that could not be written is news all the same: the listener still hears it.
   */
  private boolean write(HasMetadata regarding, EventReason eventReason, String message) {
    String type = eventReason.type().name();
    String reason = eventReason.name();
    var meta = regarding.getMetadata();
    String name = eventName(regarding, type, reason, message);
    var events = client.v1().events().inNamespace(meta.getNamespace());
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Event event =
        new EventBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(meta.getNamespace())
            .endMetadata()
            .withNewInvolvedObject()
            .withApiVersion(regarding.getApiVersion())
            .withKind(regarding.getKind())
            .withName(meta.getName())
            .withNamespace(meta.getNamespace())
            .withUid(meta.getUid())
            .withResourceVersion(meta.getResourceVersion())
            .endInvolvedObject()
            .withType(type)
            .withReason(reason)
            .withMessage(message)
            .withCount(1)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withNewSource()
            .withComponent(component)
            .endSource()
            .withReportingComponent(component)
            .build();
    try {
      // Created first: most Events are news, and a create that finds the name taken costs no more
      // than asking first would have. Reconciles record Events on their path, one round trip each.
      events.resource(event).create();
      return false;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return bump(events.withName(name), name, now);
      }
      log.warn(
          "Could not record event {} {} on {}: {}",
          reason,
          message,
          meta.getName(),
          e.getMessage());
      return false;
    }
  }

  /** Counts one more repeat of the Event {@code name}; true, as a repeat is no news. */
  private static boolean bump(Resource<Event> existing, String name, String now) {
    try {
      existing.edit(
          e ->
              new EventBuilder(e)
                  .withCount(e.getCount() == null ? 2 : e.getCount() + 1)
                  .withLastTimestamp(now)
                  .build());
    } catch (KubernetesClientException e) {
      // Deleted meanwhile (Events expire) or bumped concurrently: this repeat goes uncounted.
      log.debug("Event {} could not be bumped: {}", name, e.getMessage());
    }
    return true;
  }

  /** The object's name plus a hash of what the Event says: stable across repeats and restarts. */
  static String eventName(HasMetadata regarding, String type, String reason, String message) {
    var meta = regarding.getMetadata();
    String key =
        String.join(
            "\u0000", regarding.getKind(), meta.getName(), meta.getUid(), type, reason, message);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return meta.getName() + "." + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
