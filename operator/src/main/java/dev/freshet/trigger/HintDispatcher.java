package dev.freshet.trigger;

import dev.freshet.poll.Poller;
import dev.freshet.receive.ImageHint;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an accepted webhook into an immediate re-check of the image against the registry. The hint
 * never decides what is deployed: the poller asks the registry with Freshet's own credentials, so a
 * forged or replayed webhook costs at most one extra request, and a digest the registry does not serve
 * is reported as refused.
 */
public final class HintDispatcher implements Consumer<ImageHint> {
  private static final Logger log = LoggerFactory.getLogger(HintDispatcher.class);

  private final Poller poller;
  private final MeterRegistry meters;

  public HintDispatcher(Poller poller, MeterRegistry meters) {
    this.poller = poller;
    this.meters = meters;
  }

  @Override
  public void accept(ImageHint hint) {
    int watches = poller.recheck(hint.registry(), hint.repository(), Optional.of(hint.tag()), hint.digest());
    String outcome = watches == 0 ? "unknown_image" : "rechecked";
    meters.counter("freshet_webhook_hints_total", "source", hint.source(), "outcome", outcome).increment();
    if (watches == 0) {
      log.info("{} push of {} concerns no tracked image; nothing to do", hint.source(), hint.reference());
    } else {
      log.info("{} push of {} (delivery {}): re-checking {} watched image(s)",
          hint.source(), hint.reference(), hint.deliveryId(), watches);
    }
  }
}
