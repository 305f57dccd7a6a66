package dev.freshet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.it.AppCrd;
import dev.freshet.it.AppImageRecord;
import dev.freshet.it.Apps;
import dev.freshet.it.OperatorProcess;
import dev.freshet.it.RolloutSequence;
import dev.freshet.it.TemplateRecorder;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Freshet survives being killed at any moment. Twenty Apps (Deployments, StatefulSets, and pattern
 * policy Apps whose {@code -crash} releases never become Ready, so their rollouts are rolled back
 * and quarantined) and twenty tracked Deployments and StatefulSets follow their tags while two
 * hundred new digests are pushed, and the operator, a separate {@code freshet operator} process
 * woken by the registry's push notifications, is SIGKILLed at random moments at least twenty times
 * and started again. A watch records every image each pod template names. In the end every workload
 * runs the newest allowed digest of its tag; none ever moved to a digest older than one it already
 * named except in a health-gate rollback away from a quarantined digest; no digest was rolled to
 * twice; every quarantine recorded is still in status; and each App's status matches its workload.
 *
 * <p>The figures and every template's images are printed for quoting. A longer run: {@code
 * -Dfreshet.crash.kills=100 -Dfreshet.crash.window=600 -Dfreshet.crash.pushes=30} (kills at least,
 * seconds of pushing, pushes per workload).
 */
@WithTestbed
class CrashIT {
  private static final int MIN_KILLS = Integer.getInteger("freshet.crash.kills", 20);
  private static final Duration PUSH_WINDOW =
      Duration.ofSeconds(Integer.getInteger("freshet.crash.window", 90));
  private static final int PUSHES_PER_WORKLOAD = Integer.getInteger("freshet.crash.pushes", 5);

  /**
   * One kill in this many comes during start-up, at a random moment up to {@link
   * #LONGEST_START_UP_LIFE}; the others at a random moment up to {@link #LONGEST_SERVING_LIFE}
   * after the process reported ready, while it reconciles what changed while it was down.
   */
  private static final int START_UP_KILL_ONE_IN = 4;

  private static final Duration LONGEST_START_UP_LIFE = Duration.ofSeconds(3);
  private static final Duration LONGEST_SERVING_LIFE = Duration.ofSeconds(5);

  private static final String PATTERN = "^(?<build>[0-9]+)(-crash)?$";

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
  private static final class Subject {
    final String name;
    final Kind kind;
    final String repository;
    final List<PushedImage> pushed = new CopyOnWriteArrayList<>();

    Subject(String name, Kind kind, String repository) {
      this.name = name;
      this.kind = kind;
      this.repository = repository;
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
      int pushes = schedulePushes(registry);
      int kills = 0;
      int killsWhileServing = 0;
      // A clean stop writes the archive of classes.
      operator.stop();
      operator = OperatorProcess.start(log, jvmOptions, arguments);
      // Kills come no faster than the operator starts, which a loaded machine slows several-fold:
      // the deadline leaves room for the kills the test promises, and only a stuck run reaches it.
      long deadline = System.nanoTime() + PUSH_WINDOW.plusMinutes(6).toNanos();
      while ((pushesLeft() > 0 || kills < MIN_KILLS) && System.nanoTime() < deadline) {
        Duration life;
        if (random.nextInt(START_UP_KILL_ONE_IN) == 0) {
          life = randomUpTo(LONGEST_START_UP_LIFE);
        } else {
          OperatorProcess starting = operator;
          await("operator process ready")
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(100))
              .until(() -> !starting.process().isAlive() || starting.isReady());
          life = randomUpTo(LONGEST_SERVING_LIFE);
        }
        // Waits the chosen life time, unless the process ends by itself first (which it must not).
        if (operator.process().waitFor(life.toMillis(), TimeUnit.MILLISECONDS)) {
          unexpectedExits.add("exit code " + operator.process().exitValue());
        } else {
          killsWhileServing += operator.isReady() ? 1 : 0;
          operator.kill();
          kills++;
        }
        operator = OperatorProcess.start(log, jvmOptions, arguments);
      }
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
          "CrashIT: %d workloads (%d Apps, %d tracked), %d pushes (%d -crash), %d kills (%d while"
              + " serving), %d template changes, %d forward, %d health-gate rollbacks, %d"
              + " quarantined, %d backward moves, %d duplicate rollouts, %d unpinned templates;"
              + " set-up %d s, chaos %d s, convergence %d s, wall time %d s%n",
          subjects.size(),
          subjects.stream().filter(s -> s.kind.isApp()).count(),
          subjects.stream().filter(s -> !s.kind.isApp()).count(),
          pushes,
          crashPushes,
          kills,
          killsWhileServing,
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

      assertThat(pushFailures).as("pushes that failed").isEmpty();
      assertThat(unexpectedExits).as("operator processes that ended by themselves").isEmpty();
      assertThat(templates.watchFailures()).as("template watch failures").isEmpty();
      assertThat(appWatchFailures).as("App watch failures").isEmpty();
      assertThat(pushesLeft()).as("pushes not made before the deadline").isZero();
      assertThat(pushes).isGreaterThanOrEqualTo(200);
      assertThat(kills).isGreaterThanOrEqualTo(MIN_KILLS);

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
        for (String digest : quarantinesSeen.getOrDefault(subject.name, Set.of())) {
          if (!now.contains(digest)) {
            problems.add(
                subject.key() + " lost the quarantine of " + digest + "; status has " + now);
          }
          if (!subject.crashDigests().contains(digest)) {
            problems.add(subject.key() + " quarantined " + digest + ", which is no -crash release");
          }
        }
      }
      assertThat(problems).as("what went wrong; every template's images:%n%s", templates).isEmpty();
    }
  }

  private void addSubjects(Kind kind, String prefix, int count, String run) {
    for (int i = 0; i < count; i++) {
      String name = prefix + "-" + i;
      subjects.add(new Subject(name, kind, "chaos-" + run + "/" + name));
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
          update.setProgressDeadlineSeconds(5);
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
    for (Subject subject : subjects) {
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

  /** Records every digest any App's status ever quarantined. */
  private Watch watchQuarantines(KubernetesClient client) {
    return client
        .genericKubernetesResources(AppImageRecord.API_VERSION, "App")
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, GenericKubernetesResource app) {
                quarantinesSeen
                    .computeIfAbsent(
                        app.getMetadata().getName(), k -> ConcurrentHashMap.newKeySet())
                    .addAll(AppImageRecord.of(app).quarantinedDigests());
              }

              @Override
              public void onClose(WatcherException cause) {
                appWatchFailures.add(cause.getMessage());
              }
            });
  }

  private Set<String> quarantined(KubernetesClient client, Subject subject) {
    Set<String> quarantined = new HashSet<>(quarantinesSeen.getOrDefault(subject.name, Set.of()));
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
