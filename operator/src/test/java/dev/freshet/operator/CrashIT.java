package dev.freshet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.it.AppCrd;
import dev.freshet.it.AppImageRecord;
import dev.freshet.it.Apps;
import dev.freshet.it.KillSwitch;
import dev.freshet.it.OperatorProcess;
import dev.freshet.it.RolloutSequence;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.testbed.Figures;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Freshet survives being killed at any moment. Twenty Apps (Deployments, StatefulSets, and pattern
 * policy Apps whose {@code -crash} releases never become Ready, so their rollouts are rolled back
 * and quarantined) and twenty tracked Deployments and StatefulSets follow their tags while two
 * hundred new digests are pushed, and the operator, a separate {@code freshet operator} process
 * woken by the registry's push notifications, is SIGKILLed at random moments at least twenty times
 * and started again. Most kills are aimed at a point of the operator's work, the moment a watch
 * reports it: an App's status records the digest it is about to pin while the template does not
 * name it yet (between the registry's answer and the patch); a template was just patched; a rollout
 * is under way; a {@code -crash} release is rolling out (its health gate pending); a rollback was
 * just patched. The rest come at random, during start-up or while serving. At the end two replicas
 * with leader election take over, and their leader is killed right after it patched a template,
 * while the pushes it was rolling out are unfinished: the Lease must move and the other replica
 * finish the work. A watch records every image each pod template names. In the end every workload
 * runs the newest allowed digest of its tag; none ever moved to a digest older than one it already
 * named except in a health-gate rollback away from a quarantined digest; no digest was rolled to
 * twice; every quarantine recorded is still in status; and each App's status matches its workload.
 *
 * <p>The figures, the kills by point and every template's images are printed for quoting (and
 * written for {@code make soak}'s summary). A longer run: {@code -Dfreshet.crash.kills=100
 * -Dfreshet.crash.window=600 -Dfreshet.crash.pushes=25 -Dfreshet.crash.handovers=5} (kills at
 * least, seconds of pushing, pushes per workload, leader handovers), which {@code
 * -Dfreshet.soak=true} chooses.
 */
@WithTestbed
class CrashIT {
  // A soak run (-Dfreshet.soak=true) defaults to a thousand pushes, one rollout each.
  private static final int MIN_KILLS =
      Integer.getInteger("freshet.crash.kills", Figures.soak() ? 100 : 20);
  private static final Duration PUSH_WINDOW =
      Duration.ofSeconds(Integer.getInteger("freshet.crash.window", Figures.soak() ? 600 : 90));
  private static final int PUSHES_PER_WORKLOAD =
      Integer.getInteger("freshet.crash.pushes", Figures.soak() ? 25 : 5);
  private static final int HANDOVERS =
      Integer.getInteger("freshet.crash.handovers", Figures.soak() ? 5 : 2);

  /** How long a kill aimed at a point waits for it; one not reached by then comes at once. */
  private static final Duration POINT_WAIT = Duration.ofSeconds(8);

  /** How much earlier than by the test's clock a health gate's deadline may be seen to pass. */
  private static final Duration TIMESTAMP_PRECISION = Duration.ofMillis(1500);

  /**
   * Digests pushed for each leader handover, for the leader to be killed in the middle of: as many
   * App Deployments, tracked Deployments and tracked StatefulSets.
   */
  private static final int HANDOVER_PUSHES = 6;

  /**
   * The health-gate deadline of the Apps kept for health-gate and rollback kills: their first
   * release must not fail it on a loaded machine, as it would no longer be there to roll back to.
   */
  private static final int KEPT_FOR_ROLLBACK_DEADLINE_SECONDS = 10;

  /** Short Lease timings, so a handover costs seconds. */
  private static final List<String> LEASE =
      List.of("--lease-duration=6s", "--lease-renew-deadline=4s", "--lease-retry-period=1s");

  /**
   * One kill in this many comes during start-up, at a random moment up to {@link
   * #LONGEST_START_UP_LIFE}; the others at a random moment up to {@link #LONGEST_SERVING_LIFE}
   * after the process reported ready, while it reconciles what changed while it was down.
   */
  private static final int START_UP_KILL_ONE_IN = 4;

  private static final Duration LONGEST_START_UP_LIFE = Duration.ofSeconds(3);
  private static final Duration LONGEST_SERVING_LIFE = Duration.ofSeconds(5);

  private static final String PATTERN = "^(?<build>[0-9]+)(-crash)?$";

  /** Where in the operator's work a kill lands. */
  enum Point {
    /** A random moment of start-up. */
    START_UP,
    /** A random moment while serving; also where an aimed kill whose point did not come lands. */
    SERVING,
    /** An App's status records the digest it is about to pin; its template does not name it. */
    RECORDED_NOT_PATCHED,
    /** A template was just patched to a newer digest; the status does not say so yet. */
    PATCHED,
    /** A workload's controller saw its new template, and the rollout is not complete. */
    MID_ROLLOUT,
    /** A {@code -crash} release is rolling out: its health gate is pending. */
    HEALTH_GATE,
    /** A template just left a {@code -crash} release: the health-gate rollback is patched. */
    ROLLBACK,
    /** The leader of two replicas, right after it patched a template. */
    LEADER_HANDOVER
  }

  /** The points aimed at in turn while pushes come; one turn in four kills during start-up. */
  private static final List<Point> AIMED =
      List.of(
          Point.RECORDED_NOT_PATCHED,
          Point.PATCHED,
          Point.MID_ROLLOUT,
          Point.HEALTH_GATE,
          Point.ROLLBACK,
          Point.SERVING);

  private enum Kind {
    APP_DEPLOYMENT,
    APP_STATEFULSET,
    APP_PATTERN,
    TRACKED_DEPLOYMENT,
    TRACKED_STATEFULSET;

    boolean isApp() {
      return this == APP_DEPLOYMENT || this == APP_STATEFULSET || this == APP_PATTERN;
    }

    boolean isStatefulSet() {
      return this == APP_STATEFULSET || this == TRACKED_STATEFULSET;
    }
  }

  /** One workload under test, its repository, and every image pushed for it in order. */
  private static int healthGateDeadlineSeconds(Subject subject) {
    return subject.provokedOnly ? KEPT_FOR_ROLLBACK_DEADLINE_SECONDS : 5;
  }

  /**
   * Whether the template named {@code digest} at least as long as the subject's health-gate
   * deadline before it changed again: a good release whose rollout a kill or a loaded machine held
   * up past the deadline is rightly rolled back and quarantined; one rolled back sooner is not.
   */
  private static boolean outlivedItsDeadline(
      List<TemplateRecorder.Seen> history, String digest, Subject subject) {
    // The deployment controller's Progressing condition and Freshet's pinnedAt keep whole seconds,
    // so a deadline can pass up to a second before it would by the watch's clock; the watch's own
    // delivery of the two template changes may differ by a few hundred milliseconds more.
    Duration deadline =
        Duration.ofSeconds(healthGateDeadlineSeconds(subject)).minus(TIMESTAMP_PRECISION);
    for (int i = 0; i + 1 < history.size(); i++) {
      TemplateRecorder.Seen seen = history.get(i);
      if (seen.image().endsWith("@" + digest)
          && Duration.between(seen.at(), history.get(i + 1).at()).compareTo(deadline) >= 0) {
        return true;
      }
    }
    return false;
  }

  private static final class Subject {
    final String name;
    final Kind kind;
    final String repository;
    final List<PushedImage> pushed = new CopyOnWriteArrayList<>();

    /** Gets no scheduled pushes: only those an aimed kill makes to provoke its point. */
    final boolean provokedOnly;

    Subject(String name, Kind kind, String repository, boolean provokedOnly) {
      this.name = name;
      this.kind = kind;
      this.repository = repository;
      this.provokedOnly = provokedOnly;
    }

    /** Whether the newest push is a -crash release, so a rollout of it fails and is rolled back. */
    boolean crashPending() {
      return !pushed.isEmpty() && newest().tag().endsWith("-crash");
    }

    String key() {
      return (kind.isStatefulSet() ? "StatefulSet/" : "Deployment/") + name;
    }

    PushedImage newest() {
      return pushed.get(pushed.size() - 1);
    }

    /** Push order of each digest: later is newer, for every policy used here. */
    Map<String, Integer> age() {
      Map<String, Integer> order = new HashMap<>();
      for (int i = 0; i < pushed.size(); i++) {
        order.put(pushed.get(i).digest(), i);
      }
      return order;
    }

    Set<String> crashDigests() {
      Set<String> crashes = new HashSet<>();
      pushed.stream().filter(p -> p.tag().endsWith("-crash")).forEach(p -> crashes.add(p.digest()));
      return crashes;
    }
  }

  private final Random random = new Random();
  private final List<Subject> subjects = new ArrayList<>();
  private final List<String> pushFailures = new CopyOnWriteArrayList<>();
  private final List<String> unexpectedExits = new ArrayList<>();
  private final Map<String, Set<String>> quarantinesSeen = new ConcurrentHashMap<>();
  private final List<String> appWatchFailures = new CopyOnWriteArrayList<>();
  private final AtomicInteger pushesScheduled = new AtomicInteger();
  private final AtomicInteger pushesDone = new AtomicInteger();
  private final AtomicInteger provokedPushes = new AtomicInteger();
  private final KillSwitch<Point> killSwitch = new KillSwitch<>();
  private final Map<Point, Integer> killsByPoint = new EnumMap<>(Point.class);
  private final Map<Point, Integer> pointsMissed = new EnumMap<>(Point.class);
  private final List<OperatorProcess> replicas = new CopyOnWriteArrayList<>();
  private final List<Long> handoverMillis = new ArrayList<>();

  /** The App whose recorded digest triggered the last RECORDED_NOT_PATCHED kill, and the digest. */
  private volatile Map.Entry<Subject, String> recordedKill;

  private int recordedButPatchLanded;
  private final Map<String, Subject> subjectsByKey = new ConcurrentHashMap<>();
  private final Map<String, Subject> subjectsByName = new ConcurrentHashMap<>();
  private final Map<OperatorProcess, String> replicaNames = new ConcurrentHashMap<>();
  private OperatorProcess notifyHolder;
  private TemplateRecorder templates;
  private OperatorProcess operator;
  private ScheduledExecutorService pusher;

  @AfterEach
  void stop() {
    if (pusher != null) {
      pusher.shutdownNow();
    }
    if (operator != null) {
      operator.kill();
    }
    replicas.forEach(OperatorProcess::kill);
  }

  @Test
  void workloadsEndOnTheNewestAllowedDigestThroughRepeatedKills(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    long began = System.nanoTime();
    AppCrd.install(testbed.client());
    Registry registry = testbed.registry();
    URI notify = URI.create(testbed.registryNotifyUrl());
    client
        .secrets()
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(WebhookEndpoint.SECRET_NAME)
                .endMetadata()
                .addToData("distribution", base64("Bearer " + testbed.registryNotifyToken()))
                .build())
        .create();
    Path log = Path.of("target", "operator-" + ns.name() + ".log");
    List<String> arguments =
        List.of(
            "--kubeconfig=" + testbed.kubeconfig(),
            "--namespace=" + ns.name(),
            "--no-leader-election",
            "--receiver-addr=" + notify.getHost() + ":" + notify.getPort(),
            "--webhook-namespace=" + ns.name());
    // The first process records the classes it loads, for the later ones to start faster.
    Path classes = Path.of("target", "operator-classes.jsa").toAbsolutePath();
    Files.deleteIfExists(classes);
    operator =
        OperatorProcess.start(
            log, List.of("-XX:ArchiveClassesAtExit=" + classes, "-Xlog:cds*=off"), arguments);
    List<String> jvmOptions = List.of("-XX:SharedArchiveFile=" + classes, "-Xlog:cds*=off");

    // Repositories never name the namespace: an image reference containing "crash" never gets
    // Ready.
    String run = Integer.toString(random.nextInt(1 << 30), 36);
    addSubjects(Kind.APP_DEPLOYMENT, "app-deploy", 8, run);
    addSubjects(Kind.APP_STATEFULSET, "app-sts", 6, run);
    addSubjects(Kind.APP_PATTERN, "app-pattern", 6, run);
    addSubjects(Kind.APP_PATTERN, "app-rollback", 2, run, true);
    addSubjects(Kind.TRACKED_DEPLOYMENT, "tracked-deploy", 12, run);
    addSubjects(Kind.TRACKED_STATEFULSET, "tracked-sts", 8, run);
    for (Subject subject : subjects) {
      subject.pushed.add(
          registry
              .pusher()
              .push(subject.repository, subject.kind == Kind.APP_PATTERN ? "1" : "dev"));
      create(client, subject);
    }
    await("every workload on its first digest")
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(unsettled(client, false)).isEmpty());
    long setUp = System.nanoTime();

    try (var templates = TemplateRecorder.start(client, ns.name());
        Watch quarantines = watchQuarantines(client)) {
      this.templates = templates;
      templates.onSighting(this::aimAtWorkload);
      int pushes = schedulePushes(registry);
      int kills = 0;
      int killsWhileServing = 0;
      int turn = 0;
      // A clean stop writes the archive of classes.
      operator.stop();
      operator = OperatorProcess.start(log, jvmOptions, arguments);
      // Kills come no faster than the operator starts, which a loaded machine slows several-fold:
      // the deadline leaves room for the kills the test promises, and only a stuck run reaches it.
      long deadline = System.nanoTime() + PUSH_WINDOW.plusMinutes(6).toNanos();
      while ((pushesLeft() > 0 || kills < MIN_KILLS) && System.nanoTime() < deadline) {
        Point point;
        if (random.nextInt(START_UP_KILL_ONE_IN) == 0) {
          point = Point.START_UP;
          waitOrNote(randomUpTo(LONGEST_START_UP_LIFE));
        } else {
          OperatorProcess starting = operator;
          await("operator process ready")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> !starting.process().isAlive() || starting.isReady());
          Point aim = AIMED.get(turn++ % AIMED.size());
          point = aim == Point.SERVING ? Point.SERVING : aimAt(aim, registry);
          if (aim == Point.SERVING) {
            waitOrNote(randomUpTo(LONGEST_SERVING_LIFE));
          }
        }
        killsWhileServing +=
            point != Point.START_UP && (point != Point.SERVING || operator.isReady()) ? 1 : 0;
        if (operator.process().isAlive() || point != Point.SERVING && point != Point.START_UP) {
          operator.kill();
          kills++;
          killsByPoint.merge(point, 1, Integer::sum);
          checkRecordedKill(client);
        }
        operator = OperatorProcess.start(log, jvmOptions, arguments);
      }
      // A provoked -crash release left pending gets its good successor, the newest allowed.
      subjects.stream()
          .filter(s -> s.provokedOnly && s.crashPending())
          .forEach(s -> provoke(registry, s, false));
      // The last kills: the leader of two replicas, mid-rollout.
      operator.stop();
      operator = null;
      for (int i = 0; i < HANDOVERS; i++) {
        handOver(client, registry, log, jvmOptions, arguments, ns.name());
        kills++;
      }
      pushes = pushesScheduled.get();
      long chaosEnded = System.nanoTime();

      // A workload that never settles is reported with the rest, after the figures.
      List<String> unsettled = List.of();
      try {
        await("every workload on the newest allowed digest of its tag")
            .atMost(Duration.ofSeconds(180))
            .pollInterval(Duration.ofSeconds(1))
            .untilAsserted(() -> assertThat(unsettled(client, true)).isEmpty());
      } catch (ConditionTimeoutException e) {
        unsettled = unsettled(client, true);
      }
      long converged = System.nanoTime();

      var verdicts = new LinkedHashMap<String, RolloutSequence>();
      for (Subject subject : subjects) {
        verdicts.put(
            subject.key(),
            RolloutSequence.judge(
                templates.images(subject.key()), subject.age(), quarantined(client, subject)));
      }
      int crashPushes = subjects.stream().mapToInt(s -> s.crashDigests().size()).sum();
      int quarantinedNow =
          subjects.stream()
              .filter(s -> s.kind == Kind.APP_PATTERN)
              .mapToInt(s -> AppImageRecord.of(client, s.name).quarantinedDigests().size())
              .sum();
      System.out.printf(
          "CrashIT: %d workloads (%d Apps, %d tracked), %d pushes (%d -crash, %d made to provoke"
              + " an aimed kill's point), %d kills (%d while"
              + " serving; by point %s; aimed but not reached in time, killed at random instead"
              + " %s; recorded-not-patched kills after which the patch had landed all the same"
              + " %d), %d leader handovers (Lease moved in %s ms), %d template changes, %d forward, %d health-gate rollbacks, %d"
              + " quarantined, %d backward moves, %d duplicate rollouts, %d unpinned templates;"
              + " set-up %d s, chaos %d s, convergence %d s, wall time %d s%n",
          subjects.size(),
          subjects.stream().filter(s -> s.kind.isApp()).count(),
          subjects.stream().filter(s -> !s.kind.isApp()).count(),
          pushes,
          crashPushes,
          provokedPushes.get(),
          kills,
          killsWhileServing,
          killsByPoint,
          pointsMissed,
          recordedButPatchLanded,
          handoverMillis.size(),
          handoverMillis,
          templates.changes(),
          verdicts.values().stream().mapToInt(RolloutSequence::forward).sum(),
          verdicts.values().stream().mapToInt(RolloutSequence::rollbacks).sum(),
          quarantinedNow,
          verdicts.values().stream().mapToInt(v -> v.backward().size()).sum(),
          verdicts.values().stream().mapToInt(v -> v.duplicates().size()).sum(),
          verdicts.values().stream().mapToInt(v -> v.unpinned().size()).sum(),
          seconds(began, setUp),
          seconds(setUp, chaosEnded),
          seconds(chaosEnded, converged),
          seconds(began, converged));

      verdicts
          .keySet()
          .forEach(
              key ->
                  System.out.printf(
                      "  %s: %s%n",
                      key,
                      templates.images(key).stream().map(RolloutSequence::shortImage).toList()));

      var figures = new LinkedHashMap<String, Object>();
      figures.put("workloads", subjects.size());
      figures.put("pushes", pushes);
      figures.put("rollouts", templates.changes());
      figures.put(
          "rollbacks", verdicts.values().stream().mapToInt(RolloutSequence::rollbacks).sum());
      figures.put("kills", kills);
      killsByPoint.forEach((point, n) -> figures.put("kills." + point, n));
      pointsMissed.forEach((point, n) -> figures.put("aimed-not-reached." + point, n));
      figures.put("handovers", handoverMillis.size());
      figures.put(
          "handover.lease-moved.ms.max", handoverMillis.stream().mapToLong(m -> m).max().orElse(0));
      figures.put(
          "duplicates", verdicts.values().stream().mapToInt(v -> v.duplicates().size()).sum());
      figures.put("backward", verdicts.values().stream().mapToInt(v -> v.backward().size()).sum());
      figures.put("unsettled", unsettled.size());
      List<List<String>> quarantinedInOrder =
          subjects.stream()
              .filter(s -> s.kind == Kind.APP_PATTERN)
              .map(this::quarantinesSeen)
              .toList();
      figures.put("quarantines", quarantinedInOrder.stream().mapToInt(List::size).sum());
      figures.put(
          "quarantines.forgotten-beyond-the-newest-" + AppImageRecord.QUARANTINES_KEPT,
          quarantinedInOrder.stream()
              .mapToInt(q -> q.size() - AppImageRecord.quarantinesKept(q).size())
              .sum());
      figures.put("wall.s", seconds(began, converged));
      Figures.write("CrashIT", figures);

      assertThat(pushFailures).as("pushes that failed").isEmpty();
      assertThat(unexpectedExits).as("operator processes that ended by themselves").isEmpty();
      assertThat(templates.watchFailures()).as("template watch failures").isEmpty();
      assertThat(appWatchFailures).as("App watch failures").isEmpty();
      assertThat(pushesLeft()).as("pushes not made before the deadline").isZero();
      assertThat(pushes).isGreaterThanOrEqualTo(200);
      assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);
      assertThat(killsByPoint.getOrDefault(Point.LEADER_HANDOVER, 0))
          .as("leaders killed mid-rollout")
          .isEqualTo(HANDOVERS);
      assertThat(handoverMillis).as("Lease moves to the surviving replica").hasSize(HANDOVERS);

      var problems = new ArrayList<String>();
      unsettled.forEach(m -> problems.add("not settled on the newest allowed digest: " + m));
      verdicts.forEach(
          (key, verdict) -> {
            verdict.backward().forEach(m -> problems.add(key + " moved backward: " + m));
            verdict.duplicates().forEach(m -> problems.add(key + " rolled twice: " + m));
            verdict.unpinned().forEach(m -> problems.add(key + " named " + m));
            verdict.unknown().forEach(m -> problems.add(key + " named a foreign digest: " + m));
          });
      for (Subject subject : subjects.stream().filter(s -> s.kind == Kind.APP_PATTERN).toList()) {
        List<String> now = AppImageRecord.of(client, subject.name).quarantinedDigests();
        List<String> seen = quarantinesSeen(subject);
        List<String> kept = AppImageRecord.quarantinesKept(seen);
        if (!now.equals(kept)) {
          // Forgetting the oldest beyond the bound is the contract; the duplicates check above
          // proves a forgotten digest was never pinned again.
          problems.add(
              subject.key()
                  + " keeps the quarantines "
                  + now
                  + "; the newest "
                  + AppImageRecord.QUARANTINES_KEPT
                  + " of all it quarantined are "
                  + kept);
        }
        for (String digest : seen) {
          if (!subject.crashDigests().contains(digest)
              && !outlivedItsDeadline(templates.history(subject.key()), digest, subject)) {
            problems.add(
                subject.key()
                    + " quarantined "
                    + digest
                    + ", which is no -crash release and rolled back before its health gate's"
                    + " deadline");
          }
        }
      }
      // The problems come first: a report cut to its first lines must still say what went wrong.
      assertThat(problems)
          .withFailMessage(
              "what went wrong:%n%s%n%nevery template's images:%n%s",
              String.join(System.lineSeparator(), problems), templates)
          .isEmpty();
    }
  }

  /** Waits {@code life}, noting it if the operator ends by itself first (which it must not). */
  private void waitOrNote(Duration life) throws InterruptedException {
    if (operator.process().waitFor(life.toMillis(), TimeUnit.MILLISECONDS)) {
      unexpectedExits.add("exit code " + operator.process().exitValue());
    }
  }

  /**
   * Arms the kill switch for {@code aim}, makes the push that brings the point about (besides the
   * scheduled ones, which come at their own pace), and waits for a watch to report it. Returns the
   * point the kill landed at: {@code aim}, or {@link Point#SERVING} when it did not come in time
   * (the kill then follows at once, at whatever the operator was doing).
   *
   * <p>A health-gate kill pushes a {@code -crash} release to an App kept for these kills and kills
   * while it rolls out; the rollback kill that follows waits for the restarted operator to roll it
   * back, then the App gets a good release.
   */
  private Point aimAt(Point aim, Registry registry) {
    var fired = killSwitch.arm(aim, operator);
    Duration wait = POINT_WAIT;
    Subject rollback = null;
    switch (aim) {
      case HEALTH_GATE -> {
        rollback = provokedSubject(false);
        provoke(registry, rollback, true);
      }
      case ROLLBACK -> {
        rollback = provokedSubject(true);
        // A restarted operator may have rolled back before this kill was aimed: a new -crash
        // release starts the next rollout to fail.
        String crash = rollback.crashPending() ? rollback.newest().digest() : "none";
        boolean rollingOutCrash =
            templates.currentImage(rollback.key()).flatMap(TemplateRecorder::digestOf).stream()
                .anyMatch(crash::equals);
        if (!rollingOutCrash) {
          provoke(registry, rollback, true);
        }
        // The health gate's deadline, then the rollback: longer than other points take.
        wait = Duration.ofSeconds(KEPT_FOR_ROLLBACK_DEADLINE_SECONDS + 20);
      }
      default -> {
        var digestPolicy = subjects.stream().filter(s -> s.kind != Kind.APP_PATTERN).toList();
        provoke(registry, digestPolicy.get(random.nextInt(digestPolicy.size())), false);
      }
    }
    Optional<Point> hit = KillSwitch.await(fired, wait);
    if (aim == Point.ROLLBACK) {
      provoke(registry, rollback, false);
    }
    killSwitch.disarm();
    if (hit.isEmpty() && fired.isDone()) {
      hit = Optional.of(fired.join());
    }
    if (hit.isEmpty()) {
      pointsMissed.merge(aim, 1, Integer::sum);
      if (!operator.process().isAlive()) {
        unexpectedExits.add("exit code " + operator.process().exitValue());
      }
    }
    return hit.orElse(Point.SERVING);
  }

  /** An App kept for health-gate kills: one with a -crash release pending, if asked and any has. */
  private Subject provokedSubject(boolean crashPending) {
    var kept = subjects.stream().filter(s -> s.provokedOnly).toList();
    return kept.stream()
        .filter(s -> s.crashPending() == crashPending)
        .findFirst()
        .orElse(kept.get(random.nextInt(kept.size())));
  }

  /**
   * Pushes the next release for {@code subject}: a new digest of its tag, or for a pattern App the
   * next build, a {@code -crash} one if asked.
   */
  private void provoke(Registry registry, Subject subject, boolean crash) {
    String tag =
        subject.kind != Kind.APP_PATTERN
            ? "dev"
            : (subject.pushed.size() + 1) + (crash ? "-crash" : "");
    pushesScheduled.incrementAndGet();
    provokedPushes.incrementAndGet();
    push(registry, subject, tag);
  }

  /** Reports the points a workload event shows: a template patched, a rollout under way. */
  private void aimAtWorkload(TemplateRecorder.Sighting sighting) {
    Subject subject = subjectsByKey.get(sighting.workload());
    if (subject == null) {
      return;
    }
    if (sighting.imageChanged()) {
      String from = TemplateRecorder.digestOf(sighting.previousImage()).orElse("");
      String to = TemplateRecorder.digestOf(sighting.image()).orElse("");
      Map<String, Integer> age = subject.age();
      Set<String> crashes = subject.crashDigests();
      if (age.getOrDefault(to, -1) > age.getOrDefault(from, -1)) {
        killSwitch.reached(Point.PATCHED);
        killSwitch.reached(Point.LEADER_HANDOVER);
      }
      if (crashes.contains(to)) {
        killSwitch.reached(Point.HEALTH_GATE);
      }
      if (crashes.contains(from) && !crashes.contains(to)) {
        killSwitch.reached(Point.ROLLBACK);
      }
    } else if (rollingOut(sighting.object())) {
      killSwitch.reached(Point.MID_ROLLOUT);
    }
  }

  /** The workload's controller saw its current template, and not every replica runs it yet. */
  private static boolean rollingOut(HasMetadata workload) {
    if (workload instanceof Deployment d && d.getStatus() != null) {
      var status = d.getStatus();
      return Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
          && !(Objects.equals(status.getUpdatedReplicas(), d.getSpec().getReplicas())
              && Objects.equals(status.getAvailableReplicas(), d.getSpec().getReplicas())
              && Objects.equals(status.getReplicas(), d.getSpec().getReplicas()));
    }
    if (workload instanceof StatefulSet set && set.getStatus() != null) {
      var status = set.getStatus();
      return Objects.equals(status.getObservedGeneration(), set.getMetadata().getGeneration())
          && !(Objects.equals(status.getCurrentRevision(), status.getUpdateRevision())
              && Objects.equals(status.getReadyReplicas(), set.getSpec().getReplicas()));
    }
    return false;
  }

  /**
   * Reports an App whose status records a digest to pin that its template does not name yet: the
   * operator has the registry's answer and has not patched.
   */
  private void aimAtApp(GenericKubernetesResource app) {
    Subject subject = subjectsByName.get(app.getMetadata().getName());
    String pinned = AppImageRecord.of(app).pinnedDigest();
    if (subject == null || pinned == null || templates == null) {
      return;
    }
    boolean named =
        templates.currentImage(subject.key()).flatMap(TemplateRecorder::digestOf).stream()
            .anyMatch(pinned::equals);
    if (!named) {
      recordedKill = Map.entry(subject, pinned);
      if (!killSwitch.reached(Point.RECORDED_NOT_PATCHED)) {
        recordedKill = null;
      }
    }
  }

  /**
   * After a kill aimed between the record and the patch, reads the template: the App watch and the
   * workload watch are separate streams, so the patch may have landed before the kill all the same.
   * Such kills are counted apart, so the figure for the point is only the kills that truly fell
   * between.
   */
  private void checkRecordedKill(KubernetesClient client) {
    var kill = recordedKill;
    recordedKill = null;
    if (kill == null) {
      return;
    }
    Subject subject = kill.getKey();
    String image =
        subject.kind.isStatefulSet()
            ? client
                .apps()
                .statefulSets()
                .withName(subject.name)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage()
            : client
                .apps()
                .deployments()
                .withName(subject.name)
                .get()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
    if (image.endsWith("@" + kill.getValue())) {
      recordedButPatchLanded++;
      killsByPoint.merge(Point.RECORDED_NOT_PATCHED, -1, Integer::sum);
      killsByPoint.merge(Point.PATCHED, 1, Integer::sum);
    }
  }

  /**
   * Two replicas with leader election: a new digest is pushed for a handful of workloads, and the
   * leader is killed right after its first patch. The other replica must take the Lease and finish
   * the rollouts. The killed replica is replaced, so the next handover again has two.
   */
  private void handOver(
      KubernetesClient client,
      Registry registry,
      Path log,
      List<String> jvmOptions,
      List<String> arguments,
      String namespace) {
    while (replicas.size() < 2) {
      replicas.add(startReplica(log, jvmOptions, arguments, namespace));
    }
    var holder = new String[1];
    await("a replica holds the Lease and is ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              holder[0] = leaseHolder(client);
              return replicas.stream()
                  .anyMatch(
                      r -> holder[0] != null && holder[0].startsWith(name(r) + "-") && r.isReady());
            });
    OperatorProcess leader =
        replicas.stream()
            .filter(r -> holder[0].startsWith(name(r) + "-"))
            .findFirst()
            .orElseThrow();
    OperatorProcess survivor = replicas.stream().filter(r -> r != leader).findFirst().orElseThrow();
    var fired = killSwitch.arm(Point.LEADER_HANDOVER, leader);
    Stream.of(Kind.APP_DEPLOYMENT, Kind.TRACKED_DEPLOYMENT, Kind.TRACKED_STATEFULSET)
        .flatMap(kind -> subjects.stream().filter(s -> s.kind == kind).limit(HANDOVER_PUSHES / 3))
        .forEach(
            s -> {
              pushesScheduled.incrementAndGet();
              push(registry, s, "dev");
            });
    if (KillSwitch.await(fired, Duration.ofSeconds(30)).isEmpty()) {
      killSwitch.disarm();
      pointsMissed.merge(Point.LEADER_HANDOVER, 1, Integer::sum);
    }
    long killed = System.nanoTime();
    leader.kill();
    killsByPoint.merge(Point.LEADER_HANDOVER, 1, Integer::sum);
    replicas.remove(leader);
    await("the Lease moves to the surviving replica")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> Objects.toString(leaseHolder(client), "").startsWith(name(survivor) + "-"));
    handoverMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
  }

  private OperatorProcess startReplica(
      Path log, List<String> jvmOptions, List<String> arguments, String namespace) {
    String name = "replica-" + replicaNames.size();
    var electing = new ArrayList<String>();
    for (String argument : arguments) {
      // One replica at a time can bind the port the registries notify; the others poll.
      boolean receiver = argument.startsWith("--receiver-addr=");
      if (receiver && notifyHolder != null && notifyHolder.process().isAlive()) {
        continue;
      }
      electing.add(argument.equals("--no-leader-election") ? "--leader-election" : argument);
    }
    electing.add("--lease-namespace=" + namespace);
    electing.addAll(LEASE);
    OperatorProcess replica =
        OperatorProcess.start(log, jvmOptions, electing, Map.of("POD_NAME", name));
    replicaNames.put(replica, name);
    if (electing.stream().anyMatch(a -> a.startsWith("--receiver-addr="))) {
      notifyHolder = replica;
    }
    return replica;
  }

  private String name(OperatorProcess replica) {
    return replicaNames.get(replica);
  }

  private static String leaseHolder(KubernetesClient client) {
    var lease = client.leases().withName("freshet-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private void addSubjects(Kind kind, String prefix, int count, String run) {
    addSubjects(kind, prefix, count, run, false);
  }

  private void addSubjects(Kind kind, String prefix, int count, String run, boolean provokedOnly) {
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      var subject = new Subject(name, kind, "chaos-" + run + "/" + name, provokedOnly);
      subjects.add(subject);
      subjectsByKey.put(subject.key(), subject);
      subjectsByName.put(name, subject);
    }
  }

  private void create(KubernetesClient client, Subject subject) {
    String image = subject.pushed.get(0).reference();
    switch (subject.kind) {
      case APP_DEPLOYMENT, APP_STATEFULSET, APP_PATTERN -> {
        App app = Apps.app(subject.name);
        app.getSpec().setImage(image);
        app.getSpec().setReplicas(1);
        var update = new UpdateSpec();
        update.setInterval("10s");
        if (subject.kind == Kind.APP_PATTERN) {
          update.setPolicy(UpdateSpec.Policy.PATTERN);
          update.setPattern(PATTERN);
          update.setOrder(UpdateSpec.Order.NUMERIC);
          update.setProgressDeadlineSeconds(healthGateDeadlineSeconds(subject));
        } else {
          update.setPolicy(UpdateSpec.Policy.DIGEST);
        }
        app.getSpec().setUpdate(update);
        if (subject.kind == Kind.APP_STATEFULSET) {
          app.getSpec().setWorkload(Workload.StatefulSet);
        }
        client.resource(app).create();
      }
      case TRACKED_DEPLOYMENT ->
          client
              .resource(
                  new DeploymentBuilder()
                      .withMetadata(trackedMetadata(subject.name))
                      .withNewSpec()
                      .withReplicas(1)
                      .withNewSelector()
                      .addToMatchLabels("tracked", subject.name)
                      .endSelector()
                      .withTemplate(trackedTemplate(subject.name, image))
                      .endSpec()
                      .build())
              .create();
      case TRACKED_STATEFULSET ->
          client
              .resource(
                  new StatefulSetBuilder()
                      .withMetadata(trackedMetadata(subject.name))
                      .withNewSpec()
                      .withReplicas(1)
                      .withServiceName(subject.name)
                      .withNewSelector()
                      .addToMatchLabels("tracked", subject.name)
                      .endSelector()
                      .withTemplate(trackedTemplate(subject.name, image))
                      .endSpec()
                      .build())
              .create();
    }
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta trackedMetadata(String name) {
    return new io.fabric8.kubernetes.api.model.ObjectMetaBuilder()
        .withName(name)
        .addToAnnotations("freshet.dev/policy", "digest")
        .addToAnnotations("freshet.dev/interval", "10s")
        .build();
  }

  private static PodTemplateSpec trackedTemplate(String name, String image) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .addToLabels("tracked", name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * Schedules every push of the run over the push window, each workload's spread evenly with some
   * jitter. Every second push of a pattern App is a -crash release (never the last): it comes early
   * in its slot and the next release late in the next one, so it stays the newest long enough to be
   * tried, fail its health gate and be rolled back. Returns how many pushes there are.
   */
  private int schedulePushes(Registry registry) {
    pusher = Executors.newScheduledThreadPool(2);
    long window = PUSH_WINDOW.toMillis();
    int count = PUSHES_PER_WORKLOAD;
    int total = 0;
    for (Subject subject : subjects.stream().filter(s -> !s.provokedOnly).toList()) {
      boolean pattern = subject.kind == Kind.APP_PATTERN;
      for (int i = 0; i < count; i++) {
        boolean crash = pattern && i % 2 == 1 && i < count - 1;
        double jitter = (random.nextDouble() - 0.5) * 0.1;
        double slot = !pattern ? random.nextDouble() : crash ? 0.1 + jitter : 0.7 + jitter;
        long at = (long) (window * (i + slot) / count);
        String tag = pattern ? (i + 2) + (crash ? "-crash" : "") : "dev";
        pusher.schedule(() -> push(registry, subject, tag), at, TimeUnit.MILLISECONDS);
        total++;
      }
    }
    pushesScheduled.set(total);
    return total;
  }

  private void push(Registry registry, Subject subject, String tag) {
    try {
      // One push at a time per workload, so its list is in the order the registry saw them.
      synchronized (subject) {
        subject.pushed.add(registry.pusher().push(subject.repository, tag));
      }
    } catch (RuntimeException e) {
      pushFailures.add(subject.repository + ":" + tag + ": " + e.getMessage());
    } finally {
      pushesDone.incrementAndGet();
    }
  }

  private int pushesLeft() {
    return pushesScheduled.get() - pushesDone.get();
  }

  /** Records every digest any App's status ever quarantined, in order. */
  private Watch watchQuarantines(KubernetesClient client) {
    return client
        .genericKubernetesResources(AppImageRecord.API_VERSION, "App")
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource app) {
                Set<String> seen =
                    quarantinesSeen.computeIfAbsent(
                        app.getMetadata().getName(),
                        k -> Collections.synchronizedSet(new LinkedHashSet<>()));
                // Statuses list quarantines oldest first and add at the end, so this set keeps
                // the order in which they were quarantined.
                seen.addAll(AppImageRecord.of(app).quarantinedDigests());
                aimAtApp(app);
              }

              @Override
              public void onClose(WatcherException cause) {
                appWatchFailures.add(cause.getMessage());
              }
            });
  }

  /** Every digest the App's status ever quarantined, in the order they were quarantined. */
  private List<String> quarantinesSeen(Subject subject) {
    Set<String> seen = quarantinesSeen.getOrDefault(subject.name, Set.of());
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  private Set<String> quarantined(KubernetesClient client, Subject subject) {
    Set<String> quarantined = new HashSet<>(quarantinesSeen(subject));
    if (subject.kind.isApp()) {
      quarantined.addAll(AppImageRecord.of(client, subject.name).quarantinedDigests());
    }
    return quarantined;
  }

  /**
   * The workloads not yet where they belong, each with what is off: the template names the newest
   * pushed digest, the rollout is complete, and an App's status says so (with {@code
   * pinnedRecorded}, its record of the digest it pins too).
   */
  private List<String> unsettled(KubernetesClient client, boolean pinnedRecorded) {
    var unsettled = new ArrayList<String>();
    for (Subject subject : subjects) {
      PushedImage newest;
      synchronized (subject) {
        newest = subject.newest();
      }
      String wanted = newest.pinnedReference();
      HasMetadata workload;
      String image;
      boolean rolledOut;
      if (subject.kind.isStatefulSet()) {
        StatefulSet set = client.apps().statefulSets().withName(subject.name).get();
        workload = set;
        image =
            set == null
                ? null
                : set.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        rolledOut =
            set != null
                && set.getStatus() != null
                && Objects.equals(
                    set.getStatus().getObservedGeneration(), set.getMetadata().getGeneration())
                && Objects.equals(
                    set.getStatus().getCurrentRevision(), set.getStatus().getUpdateRevision())
                && Objects.equals(set.getStatus().getReadyReplicas(), 1);
      } else {
        Deployment deployment = client.apps().deployments().withName(subject.name).get();
        workload = deployment;
        image =
            deployment == null
                ? null
                : deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        rolledOut =
            deployment != null
                && deployment.getStatus() != null
                && Objects.equals(
                    deployment.getStatus().getObservedGeneration(),
                    deployment.getMetadata().getGeneration())
                && Objects.equals(deployment.getStatus().getUpdatedReplicas(), 1)
                && Objects.equals(deployment.getStatus().getAvailableReplicas(), 1)
                && Objects.equals(deployment.getStatus().getReplicas(), 1);
      }
      if (workload == null) {
        unsettled.add(subject.key() + " missing");
        continue;
      }
      if (!wanted.equals(image)) {
        unsettled.add(subject.key() + " names " + image + ", not " + wanted);
        continue;
      }
      if (!rolledOut) {
        unsettled.add(subject.key() + " still rolling out");
        continue;
      }
      if (subject.kind.isApp()) {
        AppImageRecord record = AppImageRecord.of(client, subject.name);
        App app = client.resources(App.class).withName(subject.name).get();
        boolean upToDate =
            app.getStatus() != null
                && app.getStatus().getConditions().stream()
                    .anyMatch(c -> c.getType().equals("UpToDate") && c.getStatus().equals("True"));
        if (!upToDate
            || (pinnedRecorded && !newest.digest().equals(record.pinnedDigest()))
            || !newest.digest().equals(record.runningDigest())
            || !newest.digest().equals(record.latestDigest())) {
          unsettled.add(subject.key() + " status " + record + ", UpToDate " + upToDate);
        }
      }
    }
    return unsettled;
  }

  private Duration randomUpTo(Duration longest) {
    return Duration.ofMillis(random.nextLong(longest.toMillis()));
  }

  private static long seconds(long from, long to) {
    return TimeUnit.NANOSECONDS.toSeconds(to - from);
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
