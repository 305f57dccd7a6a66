package dev.freshet.trigger;

import dev.freshet.poll.ImageWatch;
import dev.freshet.poll.KeptHints;
import dev.freshet.poll.Poller;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.OncePerKey;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an accepted webhook into an immediate re-check of the image against the registry. The hint
 * never decides what is deployed: the poller asks the registry with Freshet's own credentials, so a
 * forged or replayed webhook costs at most one extra request, and a digest the registry does not
 * serve is reported as refused.
 *
 * <p>A hint for an image no workload watches yet is kept by the poller for a while (a push often
 * arrives while a starting operator has not yet reconciled its workloads) and applied when a watch
 * it concerns is created. {@code freshet_webhook_hints_total} counts each hint's outcome by source:
 * {@code rechecked}, {@code kept}, then for kept ones {@code applied}, {@code expired} or {@code
 * dropped} (pushed out by newer ones when the most are kept).
 *
 * <p>{@value #IGNORED} counts, by source and {@code reason}, every event accepted that will never
 * cause a re-check: the receivers' reasons ({@link IgnoreReason}), and here {@code unwatched-image}
 * for a kept hint that expired and {@code too-many-kept} for one dropped.
 */
public final class HintDispatcher implements Consumer<ImageHint> {
  private static final Logger log = LoggerFactory.getLogger(HintDispatcher.class);

  /** The counter of accepted events that caused no re-check. */
  public static final String IGNORED = "freshet_webhook_ignored_total";

  private final Poller poller;

  /** One log line per (source, reason, image) per few minutes, for at most this many keys. */
  private final OncePerKey ignoredLogged =
      new OncePerKey(Clock.systemUTC(), Duration.ofMinutes(5), 1024);

  private final MeterRegistry meters;

  public HintDispatcher(Poller poller, MeterRegistry meters) {
    this.poller = poller;
    this.meters = meters;
    poller.onKeptHints(new KeptHintOutcomes());
  }

  @Override
  public void accept(ImageHint hint) {
    int watches =
        poller.recheckOrKeep(
            hint.registry(),
            hint.repository(),
            Optional.of(hint.tag()),
            hint.digest(),
            hint.source());
    count(hint.source(), watches == 0 ? "kept" : "rechecked");
    if (watches == 0) {
      log.info(
          "{} push of {} concerns no watched image yet; kept for a watch that may follow",
          hint.source(),
          hint.reference());
    } else {
      log.info(
          "{} push of {} (delivery {}): re-checking {} watched image(s)",
          hint.source(),
          hint.reference(),
          hint.deliveryId(),
          watches);
    }
  }

  private void count(String source, String outcome) {
    meters.counter("freshet_webhook_hints_total", "source", source, "outcome", outcome).increment();
  }

  static void countIgnored(MeterRegistry meters, String source, IgnoreReason reason) {
    meters.counter(IGNORED, "source", source, "reason", reason.label()).increment();
  }

  private static String reference(KeptHints.KeptHint hint) {
    return hint.registry()
        + "/"
        + hint.repository()
        + hint.tag().map(t -> ":" + t).orElse("")
        + hint.digest().map(d -> "@" + d).orElse("");
  }

  /** Counts and logs what became of the hints the poller kept. */
  private final class KeptHintOutcomes implements KeptHints.Listener {
    @Override
    public void applied(KeptHints.KeptHint hint, ImageWatch watch) {
      count(hint.origin(), "applied");
      log.info(
          "{} push of {}, kept since {}, applied to the new watch {}",
          hint.origin(),
          reference(hint),
          hint.keptAt(),
          watch);
    }

    @Override
    public void expired(KeptHints.KeptHint hint) {
      count(hint.origin(), "expired");
      countIgnored(meters, hint.origin(), IgnoreReason.UNWATCHED);
      if (ignoredLogged.tryAcquire(
          hint.origin() + "\n" + IgnoreReason.UNWATCHED.label() + "\n" + reference(hint))) {
        log.info(
            "{} push of {} expired: no watched image followed it [{}]",
            hint.origin(),
            reference(hint),
            IgnoreReason.UNWATCHED.label());
      }
    }

    @Override
    public void dropped(KeptHints.KeptHint hint) {
      count(hint.origin(), "dropped");
      countIgnored(meters, hint.origin(), IgnoreReason.TOO_MANY_KEPT);
      log.warn(
          "{} push of {} dropped unapplied: too many pushes of unwatched images are kept",
          hint.origin(),
          reference(hint));
    }
  }

  /** Whether some workload follows the hint's image now; an in-memory lookup. */
  public boolean follows(ImageHint hint) {
    return poller.follows(hint.registry(), hint.repository(), Optional.of(hint.tag()));
  }
}
