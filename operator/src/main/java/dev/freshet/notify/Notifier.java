package dev.freshet.notify;

import dev.freshet.observe.EventListener;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.ImageChange;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the Events Freshet records into notifications: the Event's reason picks the kind ({@link
 * NotificationKind#of}), an object annotated {@value #OPT_OUT}{@code : "false"} is left out, and
 * each target that hears the kind gets it queued with the next number of its sequence for the
 * object. Hearing an Event only queues: it never waits for a network.
 */
public final class Notifier implements EventListener, AutoCloseable {
  public static final String SECRET_NAME = "freshet-notifications";
  public static final String OPT_OUT = "freshet.dev/notify";
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final MeterRegistry meters;
  private final Clock clock;
  private final Delivery.Limits limits;
  private final Map<String, AtomicLong> sequences = new ConcurrentHashMap<>();
  private volatile List<Delivery> deliveries = List.of();
  private volatile String cluster = "";
  private final String stream;

  public Notifier(MeterRegistry meters, Clock clock) {
    this(meters, clock, Delivery.Limits.DEFAULT);
  }

  Notifier(MeterRegistry meters, Clock clock, Delivery.Limits limits) {
    this.meters = meters;
    this.clock = clock;
    this.limits = limits;
    // Always with milliseconds, so streams sort as text the way they do in time.
    this.stream =
        java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(java.time.ZoneOffset.UTC)
            .format(clock.instant());
  }

  /**
   * Sends from now on to the targets {@code settings} names. A target configured as before keeps
   * its queue; one that changed or went away finishes its queue in the background.
   */
  public synchronized void configure(NotificationSettings settings) {
    List<Delivery> next = new ArrayList<>();
    List<Delivery> before = deliveries;
    for (Target target : settings.targets()) {
      next.add(
          before.stream()
              .filter(d -> d.target().sameAs(target))
              .findFirst()
              .orElseGet(() -> new Delivery(target, limits, meters, clock)));
    }
    cluster = settings.cluster();
    deliveries = List.copyOf(next);
    before.stream().filter(d -> !next.contains(d)).forEach(Delivery::close);
    log.info(
        "notification targets: {}",
        next.isEmpty() ? "none" : next.stream().map(d -> d.target().name()).toList());
  }

  /** The names of the targets notifications go to now. */
  public List<String> targets() {
    return deliveries.stream().map(d -> d.target().name()).toList();
  }

  @Override
  public void recorded(
      HasMetadata regarding, EventReason reason, String message, ImageChange change) {
    Optional<NotificationKind> kind = NotificationKind.of(reason);
    List<Delivery> targets = deliveries;
    if (kind.isEmpty() || targets.isEmpty() || optedOut(regarding)) {
      return;
    }
    var meta = regarding.getMetadata();
    var notification =
        new Notification(
            kind.get(),
            regarding.getKind(),
            meta.getNamespace(),
            meta.getName(),
            change.container(),
            change.image(),
            change.tag(),
            change.fromDigest(),
            change.toDigest(),
            reason.name(),
            message,
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            cluster,
            0,
            stream);
    // Numbering and queueing together: two reconciler threads must not queue 3 before 2.
    synchronized (sequences) {
      for (Delivery delivery : targets) {
        if (delivery.target().hears(kind.get())) {
          delivery.offer(notification.withSequence(stream, next(delivery.target(), regarding)));
        }
      }
    }
  }

  /**
   * Numbers count per target and object, so that a receiver sees 1, 2, 3… for each object and can
   * tell a gap (a notification dropped or given up on) from a kind it does not hear.
   */
  private long next(Target target, HasMetadata regarding) {
    var meta = regarding.getMetadata();
    String key =
        target.name()
            + "/"
            + regarding.getKind()
            + "/"
            + meta.getNamespace()
            + "/"
            + meta.getName();
    return sequences.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  private static boolean optedOut(HasMetadata regarding) {
    Map<String, String> annotations = regarding.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(OPT_OUT);
    if (value == null) {
      return false;
    }
    if (value.trim().equalsIgnoreCase("false")) {
      return true;
    }
    if (!value.trim().equalsIgnoreCase("true")) {
      log.warn(
          "{} {}/{}: annotation {}=\"{}\" is neither \"true\" nor \"false\"; notifying",
          regarding.getKind(),
          regarding.getMetadata().getNamespace(),
          regarding.getMetadata().getName(),
          OPT_OUT,
          value);
    }
    return false;
  }

  @Override
  public synchronized void close() {
    deliveries.forEach(Delivery::close);
    deliveries = List.of();
  }
}
