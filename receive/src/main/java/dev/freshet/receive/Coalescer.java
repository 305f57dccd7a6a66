package dev.freshet.receive;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Paces hints for the same (registry, repository, tag): the first hint of a burst goes to the sink
 * at once, and those that arrive within the window after it are folded into one follow-up, handed
 * over when the window ends. A follow-up opens a new window, so the sink sees at most one hint per
 * key per window however many arrive, and never waits for one when a push comes alone. A multi-arch
 * push sends one event per manifest (GHCR, Docker Hub and Harbor do), and each would otherwise cost
 * a registry check; the follow-up's check sees the final state of the burst.
 *
 * <p>This class decides how often a key reaches the sink. The sink (the operator's poller) only
 * makes sure checks of one image never overlap: a follow-up that arrives while the first check
 * still runs marks it to run once more, which is the same single follow-up.
 *
 * <p>The follow-up keeps the latest delivery id. It names a digest only if every hint folded into
 * it named that same one: when they differ (per-platform manifests and the index) none of them is
 * "the" digest, and the registry decides, as it always does. The first hint goes as it came.
 */
public final class Coalescer implements Consumer<ImageHint>, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Coalescer.class.getName());

  private final Duration window;
  private final Consumer<ImageHint> sink;
  private final ScheduledExecutorService timer;

  /**
   * The keys whose window is open, each with the follow-up gathered so far (null while none came).
   */
  private final Map<ImageHint.Key, FollowUp> open = new HashMap<>();

  public Coalescer(Duration window, Consumer<ImageHint> sink) {
    this.window = Objects.requireNonNull(window);
    this.sink = Objects.requireNonNull(sink);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "freshet-coalescer");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void accept(ImageHint hint) {
    ImageHint.Key key = hint.key();
    synchronized (open) {
      if (open.containsKey(key)) {
        FollowUp before = open.get(key);
        open.put(key, before == null ? new FollowUp(hint, hint.digest()) : before.merge(hint));
        return;
      }
      open.put(key, null);
    }
    // The window opens once the sink has taken the hint, so the next hand-over is a whole window
    // after this one began.
    deliver(hint);
    openWindow(key);
  }

  private void openWindow(ImageHint.Key key) {
    timer.schedule(() -> endWindow(key), window.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Hands over the follow-up, if one came, and opens the next window for it; else closes. */
  private void endWindow(ImageHint.Key key) {
    FollowUp due;
    synchronized (open) {
      due = open.get(key);
      if (due == null) {
        open.remove(key);
        return;
      }
      open.put(key, null);
    }
    deliver(due.hint());
    openWindow(key);
  }

  private void deliver(ImageHint hint) {
    try {
      sink.accept(hint);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the sink failed on " + hint.reference(), e);
    }
  }

  /** Hands every gathered follow-up to the sink now and stops the timer. */
  @Override
  public void close() {
    timer.shutdownNow();
    Map<ImageHint.Key, FollowUp> rest;
    synchronized (open) {
      rest = new HashMap<>(open);
      open.clear();
    }
    rest.values().stream().filter(Objects::nonNull).map(FollowUp::hint).forEach(this::deliver);
  }

  /**
   * The latest hint folded into a follow-up, and the digest all its hints agreed on (empty once
   * they disagreed).
   */
  private record FollowUp(ImageHint latest, Optional<String> digest) {
    FollowUp merge(ImageHint next) {
      return new FollowUp(next, digest.equals(next.digest()) ? digest : Optional.empty());
    }

    ImageHint hint() {
      return new ImageHint(
          latest.registry(),
          latest.repository(),
          latest.tag(),
          digest,
          latest.deliveryId(),
          latest.source());
    }
  }
}
