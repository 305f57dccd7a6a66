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
 * Merges hints for the same (registry, repository, tag) that arrive within a short window into one
 * call of the sink. A multi-arch push sends one event per manifest (GHCR, Docker Hub and Harbor
 * do), and each would otherwise cost a registry check; one check after the burst sees the final
 * state anyway.
 *
 * <p>The window starts with the first hint for a key; the merged hint keeps the latest delivery id.
 * It names a digest only if every hint in the burst named that same one: when they differ
 * (per-platform manifests and the index) none of them is "the" digest, and the registry decides, as
 * it always does.
 */
public final class Coalescer implements Consumer<ImageHint>, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Coalescer.class.getName());

  private final Duration window;
  private final Consumer<ImageHint> sink;
  private final ScheduledExecutorService timer;
  private final Map<ImageHint.Key, Pending> pending = new HashMap<>();

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
    boolean first;
    synchronized (pending) {
      Pending before = pending.get(hint.key());
      first = before == null;
      pending.put(hint.key(), first ? new Pending(hint, hint.digest()) : before.merge(hint));
    }
    if (first) {
      timer.schedule(() -> flush(hint.key()), window.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void flush(ImageHint.Key key) {
    Pending done;
    synchronized (pending) {
      done = pending.remove(key);
    }
    if (done == null) {
      return;
    }
    ImageHint last = done.latest;
    try {
      sink.accept(
          new ImageHint(
              last.registry(),
              last.repository(),
              last.tag(),
              done.digest,
              last.deliveryId(),
              last.source()));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "the sink failed on " + last.reference(), e);
    }
  }

  /** Hands every pending hint to the sink now and stops the timer. */
  @Override
  public void close() {
    timer.shutdownNow();
    Map<ImageHint.Key, Pending> rest;
    synchronized (pending) {
      rest = new HashMap<>(pending);
    }
    rest.keySet().forEach(this::flush);
  }

  /**
   * The latest hint of a burst, and the digest all its hints agreed on (empty once they disagree).
   */
  private record Pending(ImageHint latest, Optional<String> digest) {
    Pending merge(ImageHint next) {
      return new Pending(next, digest.equals(next.digest()) ? digest : Optional.empty());
    }
  }
}
