package dev.freshet.observe;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Kubernetes Events about an object. The Event's name is derived from what it says, so the
 * same news repeated bumps one Event's count instead of adding a new one each time. Recording is
 * best effort: a failure is logged and never fails the caller's work. News that is not a repeat is
 * handed to an {@link EventListener} (notifications), which must not block.
 *
 * <p>Events are written by one thread of the recorder's own, in the order they were recorded, as
 * client-go's event broadcaster writes them: a reconcile hands its Event over and goes on, so no
 * Event's round trip stands between a pin and its patch, and when many workloads roll at once the
 * API server's writes go to their rollouts first. At most {@value #MAX_QUEUED} wait; past that an
 * Event is dropped, logged and counted ({@value #DROPPED}): the status still says what it would
 * have. Events still waiting are lost with the process, as client-go's are: the status is the
 * record, the Events its story.
 */
public class EventRecorder {

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  /** The most Events waiting to be written. */
  static final int MAX_QUEUED = 10_000;

  /** The counter of Events dropped because too many waited. */
  public static final String DROPPED = "freshet_events_dropped_total";

  private final KubernetesClient client;
  private final String component;
  private final Clock clock;
  private final EventListener listener;
  private final ThreadPoolExecutor writer;
  private final AtomicLong dropped = new AtomicLong();

  /** How many Events were handed over, and how many of those are written, failed or dropped. */
  private long handedOver;

  private long finished;

  public EventRecorder(KubernetesClient client, String component, Clock clock) {
    this(client, component, clock, EventListener.NONE);
  }

  public EventRecorder(
      KubernetesClient client, String component, Clock clock, EventListener listener) {
    this(client, component, clock, listener, MAX_QUEUED);
  }

  EventRecorder(
      KubernetesClient client,
      String component,
      Clock clock,
      EventListener listener,
      int maxQueued) {
    this.client = client;
    this.component = component;
    this.clock = clock;
    this.listener = listener;
    // One thread keeps the order; it ends when idle, so a recorder needs no closing.
    this.writer =
        new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(maxQueued),
            r -> {
              Thread t = new Thread(r, "freshet-events");
              t.setDaemon(true);
              return t;
            },
            (task, executor) -> dropped(task));
    writer.allowCoreThreadTimeOut(true);
  }

  /** Counts in {@code meters} the Events dropped because too many waited. */
  public EventRecorder countingDropsIn(MeterRegistry meters) {
    FunctionCounter.builder(DROPPED, dropped, AtomicLong::get)
        .description("Events not written because too many waited to be")
        .register(meters);
    return this;
  }

  /** Records that {@code regarding} went through {@code reason}; a repeat bumps the count. */
  public void record(HasMetadata regarding, EventReason eventReason, String message) {
    record(regarding, eventReason, message, ImageChange.NONE);
  }

  /**
   * Hands the Event to the writer. Once it is written, and unless it only repeated one the API
   * server holds, the listener hears it, with the image fields the message speaks of; an Event that
   * could not be written is news all the same.
   */
  public void record(
      HasMetadata regarding, EventReason eventReason, String message, ImageChange change) {
    // Built now: its time and the object's resource version are those of the news.
    Event event = event(regarding, eventReason, message);
    synchronized (this) {
      handedOver++;
    }
    writer.execute(new Write(event, regarding, eventReason, change));
  }

  /**
   * Waits up to {@code timeout} until every Event recorded before this call is written (or failed
   * to be); false if the time ran out. For a caller that must see its Events before it goes on.
   */
  public synchronized boolean awaitWritten(Duration timeout) throws InterruptedException {
    long due = handedOver;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (finished < due) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  private synchronized void finishedOne() {
    finished++;
    notifyAll();
  }

  /** Writing one Event, then telling the listener if it was news. */
  private final class Write implements Runnable {
    private final Event event;
    private final HasMetadata regarding;
    private final EventReason reason;
    private final ImageChange change;

    Write(Event event, HasMetadata regarding, EventReason reason, ImageChange change) {
      this.event = event;
      this.regarding = regarding;
      this.reason = reason;
      this.change = change;
    }

    @Override
    public void run() {
      try {
        if (!write(event)) {
          listener.recorded(regarding, reason, event.getMessage(), change);
        }
      } catch (RuntimeException e) {
        // A listener's fault must not stop the Events after it.
        log.warn("The listener of event {} failed: {}", reason, e.toString());
      } finally {
        finishedOne();
      }
    }
  }

  private void dropped(Runnable task) {
    finishedOne();
    Write write = (Write) task;
    long count = dropped.incrementAndGet();
    // The first drop and every thousandth are logged: a flood of Events must not flood the log.
    if (count == 1 || count % 1000 == 0) {
      log.warn(
          "{} Event(s) dropped so far, {} waiting to be written; dropped now: {} \"{}\" on {}",
          count,
          writer.getQueue().size(),
          write.reason,
          write.event.getMessage(),
          write.event.getInvolvedObject().getName());
    }
  }

  private Event event(HasMetadata regarding, EventReason eventReason, String message) {
    String type = eventReason.type().name();
    String reason = eventReason.name();
    var meta = regarding.getMetadata();
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withName(eventName(regarding, type, reason, message))
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
  }

  /** Writes the Event; true when it only repeated one the API server holds (its count bumped). */
  private boolean write(Event event) {
    String name = event.getMetadata().getName();
    var events = client.v1().events().inNamespace(event.getMetadata().getNamespace());
    try {
      // Created first: most Events are news, and a create that finds the name taken costs no more
      // than asking first would have.
      events.resource(event).create();
      return false;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return bump(events.withName(name), name, event.getLastTimestamp());
      }
      if (namespaceTerminating(e)) {
        // Written after its namespace began to go, as a queued Event can be: nobody is left to
        // read it, and client-go's recorder drops these too.
        log.debug("Event {} not recorded: its namespace is being deleted", name);
        return false;
      }
      log.warn(
          "Could not record event {} {} on {}: {}",
          event.getReason(),
          event.getMessage(),
          event.getInvolvedObject().getName(),
          e.getMessage());
      return false;
    } catch (RuntimeException e) {
      // Anything else (a closed client at shutdown) loses this Event only, never the writer.
      log.warn("Could not record event {}: {}", event.getReason(), e.toString());
      return false;
    }
  }

  private static boolean namespaceTerminating(KubernetesClientException e) {
    return e.getCode() == HttpURLConnection.HTTP_FORBIDDEN
        && e.getStatus() != null
        && e.getStatus().getDetails() != null
        && e.getStatus().getDetails().getCauses() != null
        && e.getStatus().getDetails().getCauses().stream()
            .anyMatch(cause -> "NamespaceTerminating".equals(cause.getReason()));
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
