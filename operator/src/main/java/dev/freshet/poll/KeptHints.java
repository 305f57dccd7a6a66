package dev.freshet.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Hints that concerned no watch when they arrived, kept for a while in case a watch for them is
 * created soon: in the seconds after the operator starts, a registry push can arrive before the
 * workloads have subscribed their images. Bounded in time and in number, oldest first out. Not
 * thread-safe: the {@link Poller} guards it with its own lock.
 */
public final class KeptHints {
  /** Long enough for a starting operator to reconcile every workload once. */
  static final Duration DEFAULT_KEEP_FOR = Duration.ofMinutes(2);

  /** A registry storm during start-up cannot make the operator remember more than this. */
  static final int DEFAULT_KEEP_AT_MOST = 5_000;

  /**
   * A push that named no watched image (yet).
   *
   * @param origin who sent it, e.g. the webhook source; only for counting and logs
   */
  public record KeptHint(
      String registry,
      String repository,
      Optional<String> tag,
      Optional<String> digest,
      String origin,
      Instant keptAt) {

    /** Whether a push of this hint can change what {@code watch} answers. */
    boolean concerns(ImageWatch watch) {
      return Poller.concerns(watch, registry, repository, tag);
    }
  }

  /** What became of a kept hint. Called under the poller's lock: count or log, nothing slow. */
  public interface Listener {
    /** A watch it concerns was created; the hint's digest is now that watch's expected digest. */
    void applied(KeptHint hint, ImageWatch watch);

    /** No watch it concerns was created within the time hints are kept. */
    void expired(KeptHint hint);

    /** Pushed out, unapplied, by newer hints when the most that are kept were already kept. */
    void dropped(KeptHint hint);

    Listener NONE =
        new Listener() {
          @Override
          public void applied(KeptHint hint, ImageWatch watch) {}

          @Override
          public void expired(KeptHint hint) {}

          @Override
          public void dropped(KeptHint hint) {}
        };
  }

  private final Clock clock;
  private final Duration keepFor;
  private final int keepAtMost;
  private final Deque<KeptHint> hints = new ArrayDeque<>();
  private Listener listener = Listener.NONE;

  KeptHints(Clock clock, Duration keepFor, int keepAtMost) {
    if (keepAtMost < 1) {
      throw new IllegalArgumentException("keepAtMost must be positive");
    }
    this.clock = clock;
    this.keepFor = keepFor;
    this.keepAtMost = keepAtMost;
  }

  void listener(Listener listener) {
    this.listener = listener;
  }

  Duration keepFor() {
    return keepFor;
  }

  /** Keeps a hint, dropping the oldest if the most are already kept. */
  KeptHint keep(
      String registry,
      String repository,
      Optional<String> tag,
      Optional<String> digest,
      String origin) {
    expire();
    while (hints.size() >= keepAtMost) {
      listener.dropped(hints.removeFirst());
    }
    KeptHint hint = new KeptHint(registry, repository, tag, digest, origin, clock.instant());
    hints.addLast(hint);
    return hint;
  }

  /**
   * Removes and returns, oldest first, the unexpired hints that concern {@code watch}, telling the
   * listener each was applied. The first watch a hint concerns takes it; any other watch created
   * later is checked at once anyway.
   */
  List<KeptHint> applyTo(ImageWatch watch) {
    expire();
    List<KeptHint> taken = new ArrayList<>();
    for (Iterator<KeptHint> it = hints.iterator(); it.hasNext(); ) {
      KeptHint hint = it.next();
      if (hint.concerns(watch)) {
        it.remove();
        taken.add(hint);
        listener.applied(hint, watch);
      }
    }
    return taken;
  }

  /** Forgets the hints kept longer than allowed, telling the listener of each. */
  void expire() {
    Instant oldestAllowed = clock.instant().minus(keepFor);
    while (!hints.isEmpty() && hints.peekFirst().keptAt().isBefore(oldestAllowed)) {
      listener.expired(hints.removeFirst());
    }
  }

  /** When the oldest kept hint expires, if any is kept. */
  Optional<Instant> nextExpiry() {
    return hints.isEmpty()
        ? Optional.empty()
        : Optional.of(hints.peekFirst().keptAt().plus(keepFor));
  }

  int size() {
    return hints.size();
  }
}
