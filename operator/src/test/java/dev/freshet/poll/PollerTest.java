package dev.freshet.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.registry.ImageReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The poller's scheduling, with a resolver that records its calls instead of a registry: these
 * properties (dedup, single flight, backoff, Retry-After) are about when and how often the registry
 * is asked, which a recording resolver shows exactly. The registry-backed path is covered by the
 * ITs.
 */
class PollerTest {
  private final Clock clock = Clock.systemUTC();
  private final Map<ImageWatch, List<Instant>> calls = new ConcurrentHashMap<>();
  private Poller poller;

  @AfterEach
  void close() {
    poller.close();
  }

  private Poller poller(Function<ImageWatch, Resolution> answer) {
    poller =
        new Poller(
            watch -> {
              calls.computeIfAbsent(watch, w -> new CopyOnWriteArrayList<>()).add(clock.instant());
              return answer.apply(watch);
            },
            clock,
            4);
    return poller;
  }

  private static ImageWatch watch(String repository) {
    return new ImageWatch(
        "127.0.0.1:5000", repository, "dev", PolicySpec.digest(), Optional.empty());
  }

  private Resolution found(ImageWatch w) {
    return new Resolution.Found(w.tag(), "sha256:" + "a".repeat(64), List.of(), clock.instant());
  }

  @Test
  void manySubscribersOfFewImagesCauseOneCheckPerDistinctImage() {
    poller(this::found);
    for (int i = 0; i < 1000; i++) {
      poller.watch("workload-" + i, watch("image-" + (i % 100)), Duration.ofHours(1), () -> {});
    }

    // Subscribers read the shared answer; those that joined while its check ran were also called
    // back.
    await()
        .untilAsserted(
            () -> {
              for (int i = 0; i < 100; i++) {
                assertThat(poller.latest(watch("image-" + i))).isPresent();
              }
            });
    assertThat(poller.distinctWatches()).isEqualTo(100);
    assertThat(calls).hasSize(100).allSatisfy((w, at) -> assertThat(at).hasSize(1));
  }

  @Test
  void unwatchAllEndsOnlyTheSubscriptionsOfItsPrefixThatAreNotKept() {
    poller(this::found);
    poller.watch("Deployment/ns/a/web", watch("a-web"), Duration.ofHours(1), () -> {});
    poller.watch("Deployment/ns/a/side", watch("a-side"), Duration.ofHours(1), () -> {});
    poller.watch("Deployment/ns/ab/web", watch("ab-web"), Duration.ofHours(1), () -> {});
    poller.watch("Deployment/ns/b/web", watch("b-web"), Duration.ofHours(1), () -> {});
    poller.watch("Deployment/ns/a", watch("no-slash"), Duration.ofHours(1), () -> {});

    poller.unwatchAll("Deployment/ns/a/", Set.of("Deployment/ns/a/web"));

    assertThat(poller.distinctWatches()).isEqualTo(4);
    assertThat(poller.follows("127.0.0.1:5000", "a-side", Optional.empty())).isFalse();
    for (String kept : List.of("a-web", "ab-web", "b-web", "no-slash")) {
      assertThat(poller.follows("127.0.0.1:5000", kept, Optional.empty())).as(kept).isTrue();
    }
  }

  @Test
  void watchingAgainWithTheSameQuestionDoesNotAskAgain() {
    poller(this::found);
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});
    await().until(() -> poller.latest(w).isPresent());

    for (int i = 0; i < 50; i++) {
      poller.watch("a", w, Duration.ofHours(1), () -> {});
    }

    assertThat(calls.get(w)).hasSize(1);
  }

  @Test
  void aRepeatedAnswerWakesNoSubscriberAndKeepsTheCheckTimeOfItsFirstGiving() {
    List<String> checked = new CopyOnWriteArrayList<>();
    poller(this::found);
    poller.onChecks(recording(checked, new CopyOnWriteArrayList<>()));
    ImageWatch w = watch("app");
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    poller.watch("a", w, Duration.ofMillis(30), a::incrementAndGet);
    poller.watch("b", w, Duration.ofMillis(30), b::incrementAndGet);
    await().until(() -> poller.latest(w).isPresent());
    Instant first = poller.latest(w).get().checkedAt();

    await().until(() -> calls.get(w).size() >= 5);

    assertThat(a).hasValue(1);
    assertThat(b).hasValue(1);
    assertThat(poller.latest(w).get().checkedAt()).isEqualTo(first);
    // When the image was last asked is told per image, once per check.
    assertThat(checked).hasSizeGreaterThanOrEqualTo(5).containsOnly("127.0.0.1:5000/app:dev");
  }

  @Test
  void aChangedAnswerWakesEverySubscriberAndASameFailureNone() {
    // The first check waits until both subscribed, so both are told its answer.
    CountDownLatch bothSubscribed = new CountDownLatch(1);
    var answer =
        new java.util.concurrent.atomic.AtomicReference<Function<ImageWatch, Resolution>>(
            x -> {
              try {
                bothSubscribed.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return found(x);
            });
    poller(w -> answer.get().apply(w));
    ImageWatch w = watch("app");
    AtomicInteger a = new AtomicInteger();
    AtomicInteger b = new AtomicInteger();
    poller.watch("a", w, Duration.ofHours(1), a::incrementAndGet);
    poller.watch("b", w, Duration.ofHours(1), b::incrementAndGet);
    bothSubscribed.countDown();
    await().until(() -> a.get() == 1 && b.get() == 1);

    answer.set(
        x -> new Resolution.Found(x.tag(), "sha256:" + "b".repeat(64), List.of(), clock.instant()));
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    await().until(() -> a.get() == 2 && b.get() == 2);

    answer.set(
        x -> new Resolution.Failed("Unreachable", "refused", Optional.empty(), clock.instant()));
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    await().until(() -> a.get() == 3 && b.get() == 3);
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    await().until(() -> calls.get(w).size() == 4);

    answer.set(
        x -> new Resolution.Failed("Unauthorized", "denied", Optional.empty(), clock.instant()));
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    // Held a while: a wake-up for the repeated failure would show as a fifth.
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> a.get() == 4 && b.get() == 4);
    assertThat(calls.get(w)).hasSize(5);
    assertThat(poller.latest(w)).get().isInstanceOf(Resolution.Failed.class);
  }

  @Test
  void aSubscriberJoiningAnAnsweredWatchIsToldAtItsNextCheckAndOthersAreNot() {
    poller(this::found);
    ImageWatch w = watch("app");
    AtomicInteger early = new AtomicInteger();
    AtomicInteger late = new AtomicInteger();
    poller.watch("early", w, Duration.ofHours(1), early::incrementAndGet);
    await().until(() -> early.get() == 1);

    poller.watch("late", w, Duration.ofHours(1), late::incrementAndGet);
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    await().until(() -> late.get() == 1);
    poller.recheck("127.0.0.1:5000", "app", Optional.empty());
    await().until(() -> calls.get(w).size() == 3);

    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> early.get() == 1 && late.get() == 1);
  }

  @Test
  void theLastWatchOnAnImageLeavingForgetsItsCheckTime() {
    List<String> forgotten = new CopyOnWriteArrayList<>();
    poller(this::found);
    poller.onChecks(recording(new CopyOnWriteArrayList<>(), forgotten));
    ImageWatch digest = watch("app");
    ImageWatch semver =
        new ImageWatch(
            "127.0.0.1:5000",
            "app",
            "dev",
            new PolicySpec(
                PolicySpec.Kind.SEMVER, Optional.of("1.x"), Optional.empty(), Optional.empty()),
            Optional.empty());
    poller.watch("a", digest, Duration.ofHours(1), () -> {});
    poller.watch("b", semver, Duration.ofHours(1), () -> {});

    poller.unwatch("a");
    assertThat(forgotten).isEmpty();
    poller.unwatch("b");

    assertThat(forgotten).containsExactly("127.0.0.1:5000/app:dev");
  }

  private static Poller.CheckListener recording(List<String> checked, List<String> forgotten) {
    return new Poller.CheckListener() {
      @Override
      public void checked(String image, Instant at) {
        checked.add(image);
      }

      @Override
      public void forgotten(String image) {
        forgotten.add(image);
      }
    };
  }

  @Test
  void aRecheckDuringARunningCheckRunsOnceMoreAfterItNotAlongside() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger concurrent = new AtomicInteger();
    AtomicInteger maxConcurrent = new AtomicInteger();
    poller(
        w -> {
          maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          concurrent.decrementAndGet();
          return found(w);
        });
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});
    await().until(() -> calls.containsKey(w));

    for (int i = 0; i < 10; i++) {
      poller.recheck("127.0.0.1:5000", "app", Optional.of("dev"));
    }
    release.countDown();

    await().untilAsserted(() -> assertThat(calls.get(w)).hasSize(2));
    assertThat(maxConcurrent).hasValue(1);
  }

  @Test
  void aRecheckConcernsOnlyWatchesThatThePushedTagCanChange() {
    poller(this::found);
    ImageWatch dev = watch("app");
    ImageWatch other =
        new ImageWatch("127.0.0.1:5000", "app", "stable", PolicySpec.digest(), Optional.empty());
    ImageWatch semver =
        new ImageWatch(
            "127.0.0.1:5000",
            "app",
            "1.4.2",
            new PolicySpec(
                PolicySpec.Kind.SEMVER, Optional.of("~1.4"), Optional.empty(), Optional.empty()),
            Optional.empty());
    poller.watch("a", dev, Duration.ofHours(1), () -> {});
    poller.watch("b", other, Duration.ofHours(1), () -> {});
    poller.watch("c", semver, Duration.ofHours(1), () -> {});
    await().until(() -> calls.size() == 3);

    assertThat(poller.recheck("127.0.0.1:5000", "app", Optional.of("dev"))).isEqualTo(2);

    await()
        .untilAsserted(
            () -> {
              assertThat(calls.get(dev)).hasSize(2);
              assertThat(calls.get(semver)).hasSize(2);
            });
    assertThat(calls.get(other)).hasSize(1);
  }

  @Test
  void aHintFindsADockerHubWatchHoweverEitherSideSpellsTheName() {
    poller(this::found);
    var fromWorkload = ImageReference.parse("nginx:1.27");
    ImageWatch nginx =
        new ImageWatch(
            fromWorkload.registry(),
            fromWorkload.repository(),
            "1.27",
            PolicySpec.digest(),
            Optional.empty());
    ImageWatch mirrorSpelling =
        new ImageWatch(
            "registry-1.docker.io", "library/redis", "7", PolicySpec.digest(), Optional.empty());
    poller.watch("a", nginx, Duration.ofHours(1), () -> {});
    poller.watch("b", mirrorSpelling, Duration.ofHours(1), () -> {});
    await().until(() -> calls.size() == 2);

    for (String[] hint :
        new String[][] {
          {"docker.io", "library/nginx"},
          {"docker.io", "nginx"},
          {"index.docker.io", "nginx"},
          {"registry-1.docker.io", "library/nginx"},
          {"Docker.IO", "nginx"}
        }) {
      assertThat(poller.recheck(hint[0], hint[1], Optional.of("1.27")))
          .as(hint[0] + "/" + hint[1])
          .isEqualTo(1);
    }
    assertThat(poller.recheck("docker.io", "redis", Optional.of("7"))).isEqualTo(1);
    assertThat(poller.recheck("docker.io", "team/nginx", Optional.of("1.27"))).isZero();
    assertThat(poller.recheck("ghcr.io", "library/nginx", Optional.of("1.27"))).isZero();
  }

  @Test
  void failedChecksAreRetriedLessAndLessOften() {
    poller(
        w ->
            new Resolution.Failed(
                "Unreachable", "connection refused", Optional.empty(), clock.instant()));
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofMillis(40), () -> {});

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> calls.get(w) != null && calls.get(w).size() >= 5);

    List<Instant> at = calls.get(w);
    for (int i = 2; i < 5; i++) {
      Duration gap = Duration.between(at.get(i - 1), at.get(i));
      Duration previous = Duration.between(at.get(i - 2), at.get(i - 1));
      // Each gap doubles; jitter is ±10%, so a later gap is always longer than the one before.
      assertThat(gap).isGreaterThan(previous);
    }
  }

  @Test
  void noRequestIsSentBeforeTheRegistrysRetryAfterEvenWhenAWebhookAsks() {
    AtomicInteger n = new AtomicInteger();
    Instant[] notBefore = new Instant[1];
    poller(
        w -> {
          if (n.incrementAndGet() == 1) {
            notBefore[0] = clock.instant().plusSeconds(2);
            return new Resolution.Failed(
                "RateLimited", "429", Optional.of(notBefore[0]), clock.instant());
          }
          return found(w);
        });
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofMillis(10), () -> {});
    await().until(() -> notBefore[0] != null);

    poller.recheck("127.0.0.1:5000", "app", Optional.empty());

    await().atMost(Duration.ofSeconds(10)).until(() -> calls.get(w).size() >= 2);
    assertThat(calls.get(w).get(1)).isAfterOrEqualTo(notBefore[0]);
  }

  @Test
  void aWebhookDigestTheRegistryDoesNotServeIsRetriedBrieflyThenReportedRefused() {
    String registryDigest = "sha256:" + "b".repeat(64);
    poller(w -> new Resolution.Found(w.tag(), registryDigest, List.of(), clock.instant()));
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});
    await().until(() -> poller.latest(w).isPresent());

    String forged = "sha256:" + "f".repeat(64);
    poller.recheck("127.0.0.1:5000", "app", Optional.of("dev"), Optional.of(forged));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(poller.latest(w))
                    .hasValueSatisfying(
                        r -> {
                          Resolution.Found found = (Resolution.Found) r;
                          assertThat(found.digest()).isEqualTo(registryDigest);
                          assertThat(found.refusedHint()).contains(forged);
                        }));
    assertThat(calls.get(w)).hasSize(1 + Poller.CONFIRMATION_ATTEMPTS);
  }

  @Test
  void aWebhookDigestTheRegistryConfirmsIsNotRetried() {
    String digest = "sha256:" + "c".repeat(64);
    poller(w -> new Resolution.Found(w.tag(), digest, List.of(), clock.instant()));
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});
    await().until(() -> poller.latest(w).isPresent());

    poller.recheck("127.0.0.1:5000", "app", Optional.of("dev"), Optional.of(digest));

    await().until(() -> calls.get(w).size() == 2);
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .untilAsserted(() -> assertThat(calls.get(w)).hasSize(2));
    assertThat(((Resolution.Found) poller.latest(w).orElseThrow()).refusedHint()).isEmpty();
  }

  @Test
  void theLastSubscriberLeavingStopsTheChecks() {
    poller(this::found);
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofMillis(20), () -> {});
    poller.watch("b", w, Duration.ofMillis(20), () -> {});
    await().until(() -> calls.containsKey(w));

    poller.unwatch("a");
    assertThat(poller.distinctWatches()).isEqualTo(1);
    poller.unwatch("b");

    assertThat(poller.distinctWatches()).isZero();
    int after = calls.get(w).size();
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(() -> assertThat(calls.get(w)).hasSizeLessThanOrEqualTo(after + 1));
  }

  /** Records what became of kept hints, as the webhook dispatcher's counters do. */
  private static final class KeptHintOutcomes implements KeptHints.Listener {
    final List<String> applied = new CopyOnWriteArrayList<>();
    final List<String> expired = new CopyOnWriteArrayList<>();
    final List<String> dropped = new CopyOnWriteArrayList<>();

    @Override
    public void applied(KeptHints.KeptHint hint, ImageWatch watch) {
      applied.add(hint.repository() + " -> " + watch.repository() + ":" + watch.tag());
    }

    @Override
    public void expired(KeptHints.KeptHint hint) {
      expired.add(hint.repository());
    }

    @Override
    public void dropped(KeptHints.KeptHint hint) {
      dropped.add(hint.repository());
    }
  }

  /** A clock the test moves; the poller reads it for the age of kept hints. */
  private static final class MovableClock extends Clock {
    private volatile Instant now = Instant.parse("2026-11-30T12:00:00Z");

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  private Poller pollerKeeping(
      Clock keptHintClock, int keepAtMost, Function<ImageWatch, Resolution> answer) {
    poller =
        new Poller(
            watch -> {
              calls.computeIfAbsent(watch, w -> new CopyOnWriteArrayList<>()).add(clock.instant());
              return answer.apply(watch);
            },
            clock,
            4,
            new KeptHints(keptHintClock, Duration.ofMinutes(2), keepAtMost));
    return poller;
  }

  @Test
  void aHintBeforeItsWatchExistsIsKeptAndConfirmedWhenTheWatchIsCreated() {
    // A registry (or its mirror) that shows the pushed digest only from its second answer on: only
    // a hint's expected digest makes the poller ask again soon instead of in an hour.
    String before = "sha256:" + "a".repeat(64);
    String pushed = "sha256:" + "b".repeat(64);
    AtomicInteger answers = new AtomicInteger();
    pollerKeeping(
        clock,
        100,
        w ->
            new Resolution.Found(
                w.tag(),
                answers.getAndIncrement() == 0 ? before : pushed,
                List.of(),
                clock.instant()));
    var outcomes = new KeptHintOutcomes();
    poller.onKeptHints(outcomes);

    assertThat(
            poller.recheckOrKeep(
                "127.0.0.1:5000", "app", Optional.of("dev"), Optional.of(pushed), "generic"))
        .isZero();
    assertThat(poller.keptHints()).isEqualTo(1);

    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(poller.latest(w))
                    .hasValueSatisfying(
                        r -> assertThat(((Resolution.Found) r).digest()).isEqualTo(pushed)));
    assertThat(calls.get(w)).hasSize(2);
    assertThat(outcomes.applied).containsExactly("app -> app:dev");
    assertThat(poller.keptHints()).isZero();
  }

  @Test
  void aKeptHintNamingADigestTheRegistryNeverServesIsReportedRefusedOnTheNewWatch() {
    String served = "sha256:" + "b".repeat(64);
    String forged = "sha256:" + "f".repeat(64);
    pollerKeeping(
        clock, 100, w -> new Resolution.Found(w.tag(), served, List.of(), clock.instant()));
    poller.recheckOrKeep(
        "127.0.0.1:5000", "app", Optional.of("dev"), Optional.of(forged), "generic");

    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(poller.latest(w))
                    .hasValueSatisfying(
                        r -> assertThat(((Resolution.Found) r).refusedHint()).contains(forged)));
  }

  @Test
  void aKeptHintGoesOnlyToAWatchItConcerns() {
    pollerKeeping(clock, 100, this::found);
    var outcomes = new KeptHintOutcomes();
    poller.onKeptHints(outcomes);
    poller.recheckOrKeep("127.0.0.1:5000", "app", Optional.of("dev"), Optional.empty(), "generic");

    ImageWatch otherTag =
        new ImageWatch("127.0.0.1:5000", "app", "stable", PolicySpec.digest(), Optional.empty());
    poller.watch("other-tag", otherTag, Duration.ofHours(1), () -> {});
    poller.watch("other-repository", watch("web"), Duration.ofHours(1), () -> {});

    assertThat(outcomes.applied).isEmpty();
    assertThat(poller.keptHints()).isEqualTo(1);
  }

  @Test
  void aKeptHintExpiresAfterTwoMinutesUnapplied() {
    MovableClock keptClock = new MovableClock();
    pollerKeeping(keptClock, 100, this::found);
    var outcomes = new KeptHintOutcomes();
    poller.onKeptHints(outcomes);
    poller.recheckOrKeep("127.0.0.1:5000", "app", Optional.of("dev"), Optional.empty(), "generic");

    keptClock.advance(Duration.ofMinutes(2).plusSeconds(1));
    ImageWatch w = watch("app");
    poller.watch("a", w, Duration.ofHours(1), () -> {});

    assertThat(outcomes.expired).containsExactly("app");
    assertThat(outcomes.applied).isEmpty();
    assertThat(poller.keptHints()).isZero();
  }

  @Test
  void beyondTheMostKeptTheOldestHintIsDroppedAndSaidSo() {
    pollerKeeping(clock, 2, this::found);
    var outcomes = new KeptHintOutcomes();
    poller.onKeptHints(outcomes);

    for (String repository : List.of("first", "second", "third")) {
      poller.recheckOrKeep(
          "127.0.0.1:5000", repository, Optional.of("dev"), Optional.empty(), "generic");
    }

    assertThat(outcomes.dropped).containsExactly("first");
    assertThat(poller.keptHints()).isEqualTo(2);
  }
}
