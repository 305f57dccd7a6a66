package dev.freshet.poll;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Schedules registry checks. Each distinct {@link ImageWatch} is checked once per interval (the
 * shortest any of its subscribers asked for, with jitter so watches do not fire in step), never
 * twice at once, and its answer goes to every subscriber. A failed check is retried later and later
 * (never sooner than a registry's Retry-After); a webhook's {@link #recheck} runs a check at once.
 *
 * <p>Subscribers are workloads (an App's, or a tracked one's containers). They call {@link #watch}
 * on every reconcile, which is cheap when nothing changed, and read {@link #latest} for the answer;
 * the callback only tells them to reconcile again. It runs when the answer changed (a first answer,
 * another digest or tag, another failure), and for a subscriber that has not been told yet: a check
 * that repeats the last answer wakes no workload, so a poll cycle costs work per distinct image,
 * not per workload. Whatever a workload waits for besides a new answer (a window, an age, a
 * rollout's deadline) it schedules itself.
 *
 * <p>A repeated answer also keeps its first {@link Resolution#checkedAt}: that instant says since
 * when the registry answers so, and a workload that writes it down needs no write while nothing
 * changes. When each image was last asked is told to the {@link CheckListener}.
 */
public final class Poller implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Poller.class);
  static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
  static final int CONFIRMATION_ATTEMPTS = 4;
  static final Duration CONFIRMATION_DELAY = Duration.ofMillis(500);

  /**
   * Answers one watch, blocking; the registry client behind it does its own per-registry limiting.
   */
  @FunctionalInterface
  public interface Resolver {
    Resolution resolve(ImageWatch watch);
  }

  /** Told when each image was last checked, for metrics. */
  public interface CheckListener {
    /** {@code image} ({@code registry/repository:tag}) was checked at {@code at}. */
    void checked(String image, Instant at);

    /** No watch is left on {@code image}. */
    void forgotten(String image);
  }

  private record Subscription(Duration interval, Runnable onResult) {}

  /** An image's interval when no subscriber is left to ask for one. */
  private static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(5);

  private final class Entry {
    final ImageWatch watch;
    private final Map<String, Subscription> subscribers = new HashMap<>();

    /**
     * The shortest interval asked for, kept as subscribers come and go: every reconcile of every
     * subscriber subscribes again, under the poller's lock.
     */
    private Duration interval = DEFAULT_INTERVAL;

    /** Subscribers not called back since they subscribed. */
    final Set<String> untold = new HashSet<>();

    volatile Resolution latest;
    ScheduledFuture<?> next;

    /**
     * A digest a webhook named, not yet confirmed by the registry, and the checks left to confirm
     * it.
     */
    String expectedDigest;

    int confirmationsLeft;
    boolean running;
    boolean runAgain;
    int failures;

    Entry(ImageWatch watch) {
      this.watch = watch;
    }

    Duration interval() {
      return interval;
    }

    /** Adds or replaces {@code subscriber}'s subscription; returns the one it replaced. */
    Subscription subscribe(String subscriber, Subscription subscription) {
      Subscription old = subscribers.put(subscriber, subscription);
      if (old == null || !old.interval().equals(subscription.interval())) {
        shortestInterval();
      }
      return old;
    }

    void unsubscribe(String subscriber) {
      if (subscribers.remove(subscriber) != null) {
        shortestInterval();
      }
    }

    private void shortestInterval() {
      interval =
          subscribers.values().stream()
              .map(Subscription::interval)
              .min(Duration::compareTo)
              .orElse(DEFAULT_INTERVAL);
    }
  }

  private final Resolver resolver;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final Map<ImageWatch, Entry> entries = new HashMap<>();

  /** Sorted, so the subscriptions of one workload (one name prefix) are found without a scan. */
  private final NavigableMap<String, ImageWatch> watchOf = new TreeMap<>();

  private final KeptHints keptHints;
  private ScheduledFuture<?> nextExpiry;
  private CheckListener checkListener = NO_CHECK_LISTENER;

  private static final CheckListener NO_CHECK_LISTENER =
      new CheckListener() {
        @Override
        public void checked(String image, Instant at) {}

        @Override
        public void forgotten(String image) {}
      };

  public Poller(Resolver resolver, Clock clock, int workerThreads) {
    this(
        resolver,
        clock,
        workerThreads,
        new KeptHints(clock, KeptHints.DEFAULT_KEEP_FOR, KeptHints.DEFAULT_KEEP_AT_MOST));
  }

  Poller(Resolver resolver, Clock clock, int workerThreads, KeptHints keptHints) {
    this.resolver = resolver;
    this.clock = clock;
    this.keptHints = keptHints;
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("freshet-poll-timer"));
    this.workers = Executors.newFixedThreadPool(workerThreads, daemon("freshet-poll"));
  }

  /**
   * Subscribes {@code subscriber} to {@code watch}, replacing what it watched before. A new watch
   * is checked at once; an existing one keeps its schedule (moved earlier if this interval is
   * shorter).
   */
  public synchronized void watch(
      String subscriber, ImageWatch watch, Duration interval, Runnable onResult) {
    ImageWatch previous = watchOf.get(subscriber);
    if (previous != null && !previous.equals(watch)) {
      unwatch(subscriber);
    }
    Entry entry = entries.get(watch);
    boolean isNew = entry == null;
    if (isNew) {
      entry = new Entry(watch);
      entries.put(watch, entry);
    }
    Duration before = entry.interval();
    Subscription old = entry.subscribe(subscriber, new Subscription(interval, onResult));
    if (old == null) {
      entry.untold.add(subscriber);
    }
    watchOf.put(subscriber, watch);
    if (isNew) {
      applyKeptHints(entry);
      schedule(entry, Duration.ZERO);
    } else if (old == null || !old.interval().equals(interval)) {
      if (entry.interval().compareTo(before) < 0 && entry.failures == 0 && !entry.running) {
        schedule(entry, jittered(entry.interval()));
      }
    }
  }

  /** Ends {@code subscriber}'s subscription; a watch nobody subscribes to any more is dropped. */
  public synchronized void unwatch(String subscriber) {
    ImageWatch watch = watchOf.remove(subscriber);
    if (watch == null) {
      return;
    }
    Entry entry = entries.get(watch);
    if (entry != null) {
      entry.unsubscribe(subscriber);
      entry.untold.remove(subscriber);
      if (entry.subscribers.isEmpty()) {
        if (entry.next != null) {
          entry.next.cancel(false);
        }
        entries.remove(watch);
        String image = image(watch);
        if (entries.keySet().stream().noneMatch(w -> image(w).equals(image))) {
          checkListener.forgotten(image);
        }
      }
    }
  }

  /**
   * Ends every subscription whose name starts with {@code prefix}, except those in {@code keep}.
   */
  public synchronized void unwatchAll(String prefix, Set<String> keep) {
    List<String> ended = new ArrayList<>();
    for (String subscriber : watchOf.tailMap(prefix, true).keySet()) {
      if (!subscriber.startsWith(prefix)) {
        break;
      }
      if (!keep.contains(subscriber)) {
        ended.add(subscriber);
      }
    }
    ended.forEach(this::unwatch);
  }

  /** The last answer for {@code watch}, if it was checked yet. */
  public synchronized Optional<Resolution> latest(ImageWatch watch) {
    Entry entry = entries.get(watch);
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.latest);
  }

  /**
   * Checks at once every watch on {@code registry/repository} that a push of {@code tag} can
   * concern: for the digest policy only watches of that tag, for tag-choosing policies every watch
   * of the repository. A registry's Retry-After still holds. Returns how many watches were checked.
   */
  public synchronized int recheck(String registry, String repository, Optional<String> tag) {
    return recheck(registry, repository, tag, Optional.empty());
  }

  /**
   * {@link #recheck(String, String, Optional)} for a push that named {@code digest}: the registry's
   * answer is what counts, but if it does not show that digest yet, the check is repeated a few
   * times at short intervals (registries and their mirrors are eventually consistent), and if it
   * never does, the result says the hint was refused.
   */
  public synchronized int recheck(
      String registry, String repository, Optional<String> tag, Optional<String> digest) {
    int count = 0;
    for (Entry entry : entries.values()) {
      if (concerns(entry.watch, registry, repository, tag)) {
        count++;
        if (digest.isPresent() && !entry.watch.policy().choosesTags()) {
          entry.expectedDigest = digest.get();
          entry.confirmationsLeft = CONFIRMATION_ATTEMPTS;
        }
        if (entry.running) {
          entry.runAgain = true;
        } else {
          schedule(entry, untilAllowed(entry));
        }
      }
    }
    return count;
  }

  /** Whether a push of {@code tag} (any tag if empty) to {@code registry/repository} concerns w. */
  static boolean concerns(ImageWatch w, String registry, String repository, Optional<String> tag) {
    return w.isOn(registry, repository)
        && (w.policy().choosesTags() || tag.isEmpty() || tag.get().equals(w.tag()));
  }

  /**
   * {@link #recheck(String, String, Optional, Optional)}, and if the push concerns no watch yet,
   * keeps it for a while (at most {@link KeptHints#DEFAULT_KEEP_FOR}, oldest dropped beyond {@link
   * KeptHints#DEFAULT_KEEP_AT_MOST}): a watch created meanwhile that it concerns takes its digest
   * as the expected one, as a recheck would have set it. Returns how many watches were checked now.
   *
   * @param origin who sent the hint, for the {@link KeptHints.Listener}
   */
  public synchronized int recheckOrKeep(
      String registry,
      String repository,
      Optional<String> tag,
      Optional<String> digest,
      String origin) {
    int count = recheck(registry, repository, tag, digest);
    if (count == 0) {
      keptHints.keep(registry, repository, tag, digest, origin);
      scheduleHintExpiry();
    }
    return count;
  }

  /** Who is told when each image was checked; replaces the last one. */
  public synchronized void onChecks(CheckListener listener) {
    this.checkListener = listener;
  }

  /** The image a watch asks about, as metrics name it: one name per image, whatever the policy. */
  static String image(ImageWatch watch) {
    return watch.registry() + "/" + watch.repository() + ":" + watch.tag();
  }

  /** Who is told what became of kept hints (applied, expired, dropped); replaces the last one. */
  public synchronized void onKeptHints(KeptHints.Listener listener) {
    keptHints.listener(listener);
  }

  /** How many hints are kept, waiting for a watch. */
  public synchronized int keptHints() {
    keptHints.expire();
    return keptHints.size();
  }

  /** Gives a new watch the kept hints that concern it, as {@link #recheck} would have. */
  private void applyKeptHints(Entry entry) {
    for (KeptHints.KeptHint hint : keptHints.applyTo(entry.watch)) {
      if (hint.digest().isPresent() && !entry.watch.policy().choosesTags()) {
        entry.expectedDigest = hint.digest().get();
        entry.confirmationsLeft = CONFIRMATION_ATTEMPTS;
      }
    }
  }

  /** Expires kept hints on time, so their count does not wait for the next hint or watch. */
  private void scheduleHintExpiry() {
    if (nextExpiry != null && !nextExpiry.isDone()) {
      return;
    }
    keptHints
        .nextExpiry()
        .ifPresent(
            at -> {
              long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis()) + 1;
              nextExpiry = timer.schedule(this::expireKeptHints, delay, TimeUnit.MILLISECONDS);
            });
  }

  private synchronized void expireKeptHints() {
    keptHints.expire();
    nextExpiry = null;
    scheduleHintExpiry();
  }

  /** Whether a push of {@code tag} (any tag if empty) to the repository concerns some watch. */
  public synchronized boolean follows(String registry, String repository, Optional<String> tag) {
    return entries.values().stream()
        .anyMatch(entry -> concerns(entry.watch, registry, repository, tag));
  }

  /** How many distinct watches are scheduled. */
  public synchronized int distinctWatches() {
    return entries.size();
  }

  private void schedule(Entry entry, Duration delay) {
    if (entry.next != null) {
      entry.next.cancel(false);
    }
    entry.next = timer.schedule(() -> start(entry), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void start(Entry entry) {
    if (entries.get(entry.watch) != entry || entry.running) {
      return;
    }
    entry.running = true;
    workers.execute(() -> check(entry));
  }

  private void check(Entry entry) {
    Resolution result;
    try {
      result = resolver.resolve(entry.watch);
    } catch (RuntimeException e) {
      log.warn("checking {} failed unexpectedly", entry.watch, e);
      result =
          new Resolution.Failed(
              "InternalError", String.valueOf(e.getMessage()), Optional.empty(), clock.instant());
    }
    List<Runnable> toNotify;
    synchronized (this) {
      boolean confirming = false;
      if (entry.expectedDigest != null && result instanceof Resolution.Found found) {
        if (found.digest().equals(entry.expectedDigest)) {
          entry.expectedDigest = null;
        } else if (--entry.confirmationsLeft > 0) {
          confirming = true;
        } else {
          result = found.withRefusedHint(entry.expectedDigest);
          entry.expectedDigest = null;
        }
      }
      Resolution before = entry.latest;
      boolean changed = !sameAnswer(before, result);
      entry.latest = changed ? result : kept(before, result);
      entry.running = false;
      entry.failures = result instanceof Resolution.Failed ? entry.failures + 1 : 0;
      if (entries.get(entry.watch) != entry) {
        return;
      }
      checkListener.checked(image(entry.watch), result.checkedAt());
      if (confirming && !entry.runAgain) {
        schedule(entry, CONFIRMATION_DELAY);
      } else if (entry.runAgain) {
        entry.runAgain = false;
        schedule(entry, untilAllowed(entry));
      } else {
        schedule(entry, nextDelay(entry));
      }
      toNotify =
          entry.subscribers.entrySet().stream()
              .filter(s -> changed || entry.untold.contains(s.getKey()))
              .map(s -> s.getValue().onResult())
              .toList();
      entry.untold.clear();
    }
    for (Runnable notify : toNotify) {
      try {
        notify.run();
      } catch (RuntimeException e) {
        log.warn("a subscriber of {} failed to take its result", entry.watch, e);
      }
    }
  }

  /**
   * Whether {@code after} tells a subscriber nothing {@code before} did not: the same digest, tag
   * and skipped tags and no refused hint, or the same failure. When it was checked does not count,
   * nor a failure's Retry-After (the poller itself honours that).
   */
  static boolean sameAnswer(Resolution before, Resolution after) {
    if (before instanceof Resolution.Found a && after instanceof Resolution.Found b) {
      return a.tag().equals(b.tag())
          && a.digest().equals(b.digest())
          && a.skipped().equals(b.skipped())
          // A refused hint is news each time: the reconciler reports it when the check time moved.
          && b.refusedHint().isEmpty()
          && a.refusedHint().isEmpty();
    }
    if (before instanceof Resolution.NoCandidate a && after instanceof Resolution.NoCandidate b) {
      return a.reason().equals(b.reason());
    }
    if (before instanceof Resolution.Failed a && after instanceof Resolution.Failed b) {
      return a.reason().equals(b.reason()) && a.message().equals(b.message());
    }
    return false;
  }

  /**
   * The answer kept when {@code repeat} said the same as {@code before}: {@code before}, so its
   * check time stays that of the answer's first giving, with a failure's new Retry-After.
   */
  private static Resolution kept(Resolution before, Resolution repeat) {
    if (repeat instanceof Resolution.Failed failed) {
      return new Resolution.Failed(
          failed.reason(), failed.message(), failed.notBefore(), before.checkedAt());
    }
    return before;
  }

  private Duration nextDelay(Entry entry) {
    Duration interval = entry.interval();
    if (entry.failures == 0) {
      return jittered(interval);
    }
    // Doubling per consecutive failure: a registry that is down sees fewer and fewer requests.
    Duration backoff = interval.multipliedBy(1L << Math.min(entry.failures, 16));
    Duration cap = interval.compareTo(MAX_BACKOFF) > 0 ? interval : MAX_BACKOFF;
    Duration delay = backoff.compareTo(cap) > 0 ? cap : backoff;
    Duration jittered = jittered(delay);
    Duration allowed = untilAllowed(entry);
    return jittered.compareTo(allowed) > 0 ? jittered : allowed;
  }

  /** Zero, or the time left until the registry's Retry-After. */
  private Duration untilAllowed(Entry entry) {
    if (entry.latest instanceof Resolution.Failed failed && failed.notBefore().isPresent()) {
      Duration left = Duration.between(clock.instant(), failed.notBefore().get());
      // Rounded up to the next millisecond: the timer counts whole milliseconds.
      return left.isNegative() ? Duration.ZERO : Duration.ofMillis(left.toMillis() + 1);
    }
    return Duration.ZERO;
  }

  /**
   * Spreads checks over ±10% of the delay so thousands of watches do not fire in the same second.
   */
  static Duration jittered(Duration delay) {
    if (delay.isZero()) {
      return delay;
    }
    double factor = 0.9 + ThreadLocalRandom.current().nextDouble() * 0.2;
    return Duration.ofMillis((long) (delay.toMillis() * factor));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
