package dev.freshet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.app.api.Workload;
import dev.freshet.it.AppCrd;
import dev.freshet.it.AppImageRecord;
import dev.freshet.it.AppRecordKeeper;
import dev.freshet.it.Apps;
import dev.freshet.it.OperatorProcess;
import dev.freshet.it.RolloutSequence;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.it.WebhookLoad;
import dev.freshet.testbed.Figures;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.Testbed;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Freshet recovers by itself from faults of the control plane, with no duplicate rollout and
 * nothing its statuses recorded lost. Apps (Deployment, StatefulSet) and tracked Deployments and
 * StatefulSets get a new digest in each round, and as soon as the first template changes (rollouts
 * under way) the control plane fails; a pattern App holds a quarantined {@code -crash} release
 * throughout, which no status written through the faults may drop. (It gets no new release during
 * the faults: an outage longer than its health gate's deadline would rightly fail a good release.)
 * The faults:
 *
 * <ul>
 *   <li>kube-apiserver is SIGKILLed and started again, after etcd was compacted at its current
 *       revision: every watch, the operator's informers included, resumes into {@code 410 Gone} (a
 *       probe watch from the revision before the round proves the answer);
 *   <li>etcd is SIGKILLed and started again, under a running apiserver.
 * </ul>
 *
 * All along, a competing writer reads and updates (PUT with the resource version it read) every App
 * and workload, a moment after its read: each {@code 409 Conflict} it gets is a write of the
 * operator or a controller in between. Freshet's own writes are server-side applies of the fields
 * it owns, without a resource version, so they are not refused for the writer's (the log's
 * conflicts are counted and printed) and must not undo the writer's fields. The operator process is
 * never restarted: it must come through on its own. A watch records every template change and
 * another every App status: in the end every workload runs its newest digest, no digest was rolled
 * out twice, no status dropped a quarantine or a history entry, and the quarantine is still there.
 *
 * <p>This test breaks the control plane, so it runs on a testbed of its own under {@code
 * target/faults-testbed} (started here, stopped at the end); the shared one never sees a restart.
 * Longer: {@code -Dfreshet.faults.rounds=N} (rounds of each fault), or {@code
 * -Dfreshet.faults.minutes=M} (rounds until M minutes have passed), which a soak run sets.
 */
class ControlPlaneFaultsIT {
  private static final int ROUNDS =
      Integer.getInteger("freshet.faults.rounds", Figures.soak() ? 1_000 : 1);
  private static final Duration DURATION =
      Duration.ofMinutes(Integer.getInteger("freshet.faults.minutes", Figures.soak() ? 30 : 0));
  private static final String PATTERN = "^(?<build>[0-9]+)(-crash)?$";

  /** Half with the registry's token, half forged; under the receiver's per-sender limit. */
  private static final int WEBHOOKS_PER_SECOND = 8;

  private static final String WRITER_ANNOTATION = "chaos.freshet.dev/competing-writer";

  private enum Fault {
    APISERVER_RESTART_WATCHES_EXPIRED,
    ETCD_RESTART
  }

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

  private record Subject(String name, Kind kind, String repository, List<PushedImage> pushed) {
    String key() {
      return (kind.isStatefulSet() ? "StatefulSet/" : "Deployment/") + name;
    }

    PushedImage newest() {
      return pushed.get(pushed.size() - 1);
    }

    Map<String, Integer> age() {
      var order = new HashMap<String, Integer>();
      for (int i = 0; i < pushed.size(); i++) {
        order.put(pushed.get(i).digest(), i);
      }
      return order;
    }
  }

  private final List<Subject> subjects = new ArrayList<>();
  private final List<String> writerErrors = new CopyOnWriteArrayList<>();

  /**
   * The competing writer's errors while a component restarts and shortly after, by HTTP code (0 for
   * no answer): a restarting apiserver may refuse a request its authorizer or its CRD discovery
   * does not serve yet, which says nothing about the operator.
   */
  private final Map<Integer, Integer> writerErrorsDuringFaults = new ConcurrentHashMap<>();

  /** Until when (System.nanoTime) a writer's error counts as the fault's; 0 outside faults. */
  private final AtomicLong faultWindowEnds = new AtomicLong();

  /** How long after a restart returns its component may still answer as one starting up. */
  private static final Duration AFTER_A_RESTART = Duration.ofSeconds(30);

  private final AtomicInteger writerUpdates = new AtomicInteger();
  private final AtomicInteger writerConflicts = new AtomicInteger();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private Testbed testbed;
  private OperatorProcess operator;
  private Thread writer;
  private WebhookLoad webhooks;

  @AfterEach
  void stop() throws InterruptedException {
    writing.set(false);
    if (writer != null) {
      writer.join(10_000);
    }
    if (webhooks != null) {
      webhooks.close();
    }
    if (operator != null) {
      operator.kill();
    }
    if (testbed != null) {
      testbed.down();
    }
  }

  @Test
  void theOperatorComesThroughRestartsExpiredWatchesAndConflictsAlone() throws Exception {
    long began = System.nanoTime();
    testbed = Testbed.startSeparate(Path.of("target", "faults-testbed"));
    String ns = "control-plane-faults";
    KubernetesClient admin = testbed.client();
    admin
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    installCrd(admin);
    Registry registry = testbed.registry();
    URI notify = URI.create(testbed.registryNotifyUrl());
    try (KubernetesClient client = testbed.clientIn(ns)) {
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
      Path log = Path.of("target", "operator-control-plane-faults.log");
      Files.deleteIfExists(log);
      operator =
          OperatorProcess.start(
              log,
              List.of(
                  "--kubeconfig=" + testbed.kubeconfig(),
                  "--namespace=" + ns,
                  "--no-leader-election",
                  "--receiver-addr=" + notify.getHost() + ":" + notify.getPort(),
                  "--webhook-namespace=" + ns));

      String run = Integer.toString(new java.util.Random().nextInt(1 << 30), 36);
      addSubject(Kind.APP_DEPLOYMENT, "app-deploy", run);
      addSubject(Kind.APP_STATEFULSET, "app-sts", run);
      addSubject(Kind.APP_PATTERN, "app-pattern", run);
      addSubject(Kind.TRACKED_DEPLOYMENT, "tracked-deploy", run);
      addSubject(Kind.TRACKED_STATEFULSET, "tracked-sts", run);
      for (Subject subject : subjects) {
        subject.pushed().add(registry.pusher().push(subject.repository(), firstTag(subject)));
        create(client, subject);
      }
      awaitSettled(client, "every workload on its first digest", Duration.ofSeconds(150));

      // The pattern App tries a -crash release, which fails its health gate and is quarantined.
      Subject pattern =
          subjects.stream().filter(s -> s.kind() == Kind.APP_PATTERN).findFirst().orElseThrow();
      PushedImage crash = registry.pusher().push(pattern.repository(), "2-crash");
      pattern.pushed().add(crash);
      await("the -crash release quarantined")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  AppImageRecord.of(client, pattern.name())
                      .quarantinedDigests()
                      .contains(crash.digest()));
      awaitSettled(client, "the pattern App back on its last good digest", Duration.ofSeconds(60));

      var faults = new LinkedHashMap<Fault, Integer>();
      var recoveries = new ArrayList<Long>();
      int probes410 = 0;
      int revived = 0;
      try (var templates = TemplateRecorder.start(client, ns);
          var records = AppRecordKeeper.start(client)) {
        writer = startCompetingWriter(testbed.clientIn(ns));
        // Webhooks for the tracked repositories all through the faults: each legitimate one asks
        // for a check the registry answers, so checks and patches race the outages and the writer.
        webhooks =
            WebhookLoad.start(
                notify,
                testbed.registryNotifyToken(),
                registry.host(),
                subjects.stream()
                    .filter(s -> s.kind() != Kind.APP_PATTERN)
                    .map(Subject::repository)
                    .toList(),
                WEBHOOKS_PER_SECOND);
        long end = System.nanoTime() + DURATION.toNanos();
        int round = 0;
        while (round < 2 * ROUNDS && (round < 2 || System.nanoTime() < end || DURATION.isZero())) {
          Fault fault = Fault.values()[round % 2];
          String before = client.apps().deployments().list().getMetadata().getResourceVersion();
          var firstChange = new CompletableFuture<String>();
          templates.onSighting(
              s -> {
                if (s.imageChanged()) {
                  firstChange.complete(s.workload());
                }
              });
          for (Subject subject : subjects) {
            if (subject.kind() != Kind.APP_PATTERN) {
              subject.pushed().add(registry.pusher().push(subject.repository(), "dev"));
            }
          }
          firstChange.get(60, TimeUnit.SECONDS);
          faultWindowEnds.set(Long.MAX_VALUE);
          switch (fault) {
            case APISERVER_RESTART_WATCHES_EXPIRED -> {
              testbed.restart("--compact-etcd", "--down", "2", "kube-apiserver");
              probes410 += answersGone(client, before) ? 1 : 0;
            }
            case ETCD_RESTART -> testbed.restart("--down", "2", "etcd");
          }
          faultWindowEnds.set(System.nanoTime() + AFTER_A_RESTART.toNanos());
          revived += countRevived();
          faults.merge(fault, 1, Integer::sum);
          long restarted = System.nanoTime();
          awaitSettled(
              client,
              "every workload on its newest digest after " + fault,
              Duration.ofSeconds(180));
          recoveries.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
          round++;
        }
        writing.set(false);
        writer.join(10_000);
        webhooks.close();
        revived += countRevived();

        var verdicts = new LinkedHashMap<String, RolloutSequence>();
        for (Subject subject : subjects) {
          Set<String> quarantined =
              subject.kind() == Kind.APP_PATTERN ? Set.of(crash.digest()) : Set.of();
          verdicts.put(
              subject.key(),
              RolloutSequence.judge(templates.images(subject.key()), subject.age(), quarantined));
        }
        String operatorLog = Files.readString(log);
        // fabric8 logs a watch's 410 only at debug level: the probe watch is the evidence.
        long operatorConflicts = countLines(operatorLog, "Conflict");
        int duplicates = verdicts.values().stream().mapToInt(v -> v.duplicates().size()).sum();
        int backward = verdicts.values().stream().mapToInt(v -> v.backward().size()).sum();
        System.out.printf(
            "ControlPlaneFaultsIT: %d workloads, %d rounds (%s), %d components that ended during"
                + " an outage and were started again, %d probe watches answered 410 of %d,"
                + " %d watch restarts after 410 in the test's recorders, competing writer: %d"
                + " updates, %d conflicts (409), errors during faults by code %s; %d operator log lines about conflicts; %d template changes, %d forward, %d"
                + " duplicates, %d backward, %d spec changes hidden by a watch's gap, %d App"
                + " statuses checked, %d losses;"
                + " recovery after each fault %s ms; operator restarts 0; wall time %d s%n",
            subjects.size(),
            round,
            faults,
            revived,
            probes410,
            faults.getOrDefault(Fault.APISERVER_RESTART_WATCHES_EXPIRED, 0),
            templates.expiredWatches() + records.expiredWatches(),
            writerUpdates.get(),
            writerConflicts.get(),
            writerErrorsDuringFaults,
            operatorConflicts,
            templates.changes(),
            verdicts.values().stream().mapToInt(RolloutSequence::forward).sum(),
            duplicates,
            backward,
            templates.unseenChanges(),
            records.statuses(),
            records.losses().size(),
            recoveries,
            TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        verdicts.forEach(
            (key, verdict) ->
                System.out.printf(
                    "  %s: %s%n",
                    key, templates.images(key).stream().map(RolloutSequence::shortImage).toList()));

        var figures = new LinkedHashMap<String, Object>();
        figures.put("workloads", subjects.size());
        figures.put("rollouts", templates.changes());
        faults.forEach((fault, n) -> figures.put("faults." + fault, n));
        figures.put("components-revived", revived);
        figures.put("probe-watches-answered-410", probes410);
        figures.put("faults.writer-conflicts-409", writerConflicts.get());
        figures.put("testbed-nodes-and-controllers-restarted", nodesRestarted);
        System.out.println(
            "ControlPlaneFaultsIT: kwok and the controller-manager restarted while waiting: "
                + nodesRestarted);
        figures.put("writer-updates", writerUpdates.get());
        webhooks
            .answers()
            .forEach((answer, n) -> figures.put("webhooks." + answer.replace(' ', '.'), n));
        System.out.println("ControlPlaneFaultsIT: webhooks answered " + webhooks.answers());
        figures.put("recovery.ms.max", recoveries.stream().mapToLong(m -> m).max().orElse(0));
        figures.put("duplicates", duplicates);
        figures.put("backward", backward);
        figures.put("status-losses", records.losses().size());
        figures.put("wall.s", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - began));
        Figures.write("ControlPlaneFaultsIT", figures);

        assertThat(operator.process().isAlive()).as("the operator process runs on").isTrue();
        assertThat(writerErrors).as("competing writer failures other than 409").isEmpty();
        assertThat(writerConflicts.get()).as("conflicts the competing writer met").isPositive();
        // The receiver needs no apiserver to answer: its secrets are cached, hints are queued.
        assertThat(webhooks.answers())
            .as("webhooks sent")
            .containsKeys("legitimate 202", "forged 401");
        assertThat(webhooks.unexpected("legitimate", 202))
            .as("legitimate webhooks not taken: %s", webhooks.answers())
            .isZero();
        assertThat(webhooks.unexpected("forged", 401))
            .as("forged webhooks not refused: %s", webhooks.answers())
            .isZero();
        assertThat(probes410)
            .as("probe watches answered 410 Gone after a compaction and apiserver restart")
            .isEqualTo(faults.get(Fault.APISERVER_RESTART_WATCHES_EXPIRED));
        assertThat(templates.watchFailures()).as("template watch failures").isEmpty();
        assertThat(records.watchFailures()).as("App watch failures").isEmpty();
        // One push per round, each rolled out before the next round: every template must have
        // named exactly its pushes, in order, once each. (The unseen spec changes printed above
        // count any spec change a watch's gap hid, an image or not; this is the exact check.)
        for (Subject subject : subjects) {
          assertThat(templates.images(subject.key()))
              .as("%s's template, one image per push", subject.key())
              .containsExactlyElementsOf(
                  subject.kind() == Kind.APP_PATTERN
                      ? List.of(newestAllowed(subject).pinnedReference())
                      : subject.pushed().stream().map(PushedImage::pinnedReference).toList());
        }
        assertThat(records.losses()).as("recorded state a status dropped").isEmpty();
        assertThat(AppImageRecord.of(client, pattern.name()).quarantinedDigests())
            .contains(crash.digest());
        var problems = new ArrayList<String>();
        verdicts.forEach(
            (key, verdict) -> {
              verdict.backward().forEach(m -> problems.add(key + " moved backward: " + m));
              verdict.duplicates().forEach(m -> problems.add(key + " rolled twice: " + m));
              verdict.unpinned().forEach(m -> problems.add(key + " named " + m));
              verdict.unknown().forEach(m -> problems.add(key + " named a foreign digest: " + m));
            });
        assertThat(problems).as("every template's images:%n%s", templates).isEmpty();
        for (Subject subject : subjects) {
          HasMetadata workload = workload(client, subject);
          assertThat(workload.getMetadata().getAnnotations())
              .as("%s keeps the competing writer's annotation", subject.key())
              .containsKey(WRITER_ANNOTATION);
        }
      }
    }
  }

  /**
   * Reads and updates every App and workload, one after the other, with the resource version it
   * read and {@link #WRITER_GAP} between the read and the write: a 409 means someone wrote in
   * between, and during a rollout the controllers' status writes make that common. Not as fast as
   * the apiserver lets it: each annotation change bumps a Deployment's generation, and on two
   * loaded cores a writer that never paused kept the deployment controller's observed generation
   * from ever catching up, so a finished rollout never looked finished. While the control plane is
   * down it keeps trying; only an error other than those is a failure.
   */
  private Thread startCompetingWriter(KubernetesClient client) {
    var thread =
        new Thread(
            () -> {
              try (client) {
                long tick = 0;
                while (writing.get()) {
                  for (Subject subject : subjects) {
                    if (!writing.get()) {
                      break;
                    }
                    tick++;
                    try {
                      write(client, subject, tick);
                      Thread.sleep(WRITER_GAP.toMillis());
                      writerUpdates.incrementAndGet();
                    } catch (KubernetesClientException e) {
                      if (e.getCode() == 409) {
                        writerConflicts.incrementAndGet();
                      } else if (System.nanoTime() < faultWindowEnds.get()) {
                        writerErrorsDuringFaults.merge(e.getCode(), 1, Integer::sum);
                      } else if (!unavailable(e)) {
                        writerErrors.add(subject.key() + ": " + e.getCode() + " " + e.getMessage());
                      }
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                  }
                }
              }
            },
            "competing-writer");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** Between the competing writer's read and its write, and between one write and the next. */
  private static final Duration WRITER_GAP = Duration.ofMillis(150);

  private static void write(KubernetesClient client, Subject subject, long tick)
      throws InterruptedException {
    String value = Long.toString(tick);
    if (subject.kind().isApp()) {
      // Read and written untyped, so no field the test's model does not know is dropped.
      var apps = client.genericKubernetesResources(AppImageRecord.API_VERSION, "App");
      GenericKubernetesResource app = apps.withName(subject.name()).get();
      app.getMetadata().getAnnotations().put(WRITER_ANNOTATION, value);
      Thread.sleep(WRITER_GAP.toMillis());
      apps.resource(app).update();
    }
    if (subject.kind().isStatefulSet()) {
      StatefulSet set = client.apps().statefulSets().withName(subject.name()).get();
      set.getMetadata().getAnnotations().put(WRITER_ANNOTATION, value);
      Thread.sleep(WRITER_GAP.toMillis());
      client.resource(set).update();
    } else {
      Deployment deployment = client.apps().deployments().withName(subject.name()).get();
      deployment.getMetadata().getAnnotations().put(WRITER_ANNOTATION, value);
      Thread.sleep(WRITER_GAP.toMillis());
      client.resource(deployment).update();
    }
  }

  /** The apiserver or etcd is down or restarting: the writer tries again. */
  private static boolean unavailable(KubernetesClientException e) {
    return e.getCode() == 0 || e.getCode() >= 500 || e.getCode() == 429;
  }

  /**
   * Whether a watch of Deployments from {@code resourceVersion} is now answered 410 Gone: the
   * operator's informers, which resume from such versions, get the same answer.
   */
  private static boolean answersGone(KubernetesClient client, String resourceVersion)
      throws Exception {
    var gone = new CompletableFuture<Boolean>();
    try (var watch =
        client
            .apps()
            .deployments()
            .watch(
                new ListOptionsBuilder().withResourceVersion(resourceVersion).build(),
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Deployment resource) {
                    gone.complete(false);
                  }

                  @Override
                  public void onClose(WatcherException cause) {
                    gone.complete(cause.isHttpGone());
                  }
                })) {
      return gone.get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  /** How many components the restarts so far started again because they had ended. */
  private int countRevived() throws IOException {
    Path restartLog = Path.of("target", "faults-testbed", "restart.log");
    long now =
        Files.readAllLines(restartLog).stream()
            .filter(line -> line.contains("started again after they ended by themselves"))
            .mapToLong(
                line -> line.substring(line.indexOf("themselves:") + 11).trim().split(" ").length)
            .sum();
    int since = (int) now - revivedSoFar;
    revivedSoFar = (int) now;
    return since;
  }

  private int revivedSoFar;

  private static long countLines(String log, String... needles) {
    return log.lines().filter(line -> List.of(needles).stream().anyMatch(line::contains)).count();
  }

  private void awaitSettled(KubernetesClient client, String what, Duration atMost) {
    long[] progressAt = {System.nanoTime()};
    List<List<String>> last = new ArrayList<>(List.of(List.of()));
    lastMoves.set(0, List.of());
    try {
      awaitSettled(client, what, atMost, progressAt, last);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          e.getMessage()
              + describe(client, last.get(0))
              + System.lineSeparator()
              + "The testbed's component logs are kept in target/faults-testbed/last-logs.",
          e);
    }
  }

  private void awaitSettled(
      KubernetesClient client,
      String what,
      Duration atMost,
      long[] progressAt,
      List<List<String>> last) {
    await(what)
        .atMost(atMost)
        .pollInterval(Duration.ofSeconds(1))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<String> unsettled = unsettled(client);
              last.set(0, unsettled);
              // Progress is a change in what the rollouts did, not in the list: the competing
              // writer's generation bumps make a finished rollout look unfinished now and then,
              // and that flapping once hid a stalled testbed for minutes.
              List<String> moves = rolloutMoves(client);
              if (!moves.equals(lastMoves.get(0))) {
                lastMoves.set(0, moves);
                progressAt[0] = System.nanoTime();
              } else if (!unsettled.isEmpty() && System.nanoTime() - progressAt[0] > REVIVE_AFTER) {
                // Rollouts that stall once the operator's pins are in place wait on the testbed's
                // stand-ins for nodes and controllers, not on Freshet: after a control-plane
                // restart, kwok and the controller-manager have been seen alive but no longer
                // moving pods on this machine. They are restarted (never the operator), and
                // counted. Only after a long while without any change: a restarted
                // controller-manager first waits out its predecessor's lease, so restarting it
                // sooner, on a loaded machine, would itself keep every rollout from moving.
                System.out.println(
                    "ControlPlaneFaultsIT: nothing moved for a minute, restarting the testbed's"
                        + " nodes, controllers and scheduler: "
                        + describe(client, unsettled));
                testbed.restart("kwok-controller", "kube-controller-manager", "kube-scheduler");
                nodesRestarted++;
                progressAt[0] = System.nanoTime();
              }
              assertThat(unsettled).isEmpty();
            });
  }

  private static final long REVIVE_AFTER = TimeUnit.SECONDS.toNanos(60);

  private final List<List<String>> lastMoves = new ArrayList<>(List.of(List.of()));

  /**
   * For each workload, its template's image and its updated, ready and available replicas: what
   * moves while a rollout makes progress, and stays when the testbed's nodes or controllers stop.
   */
  private List<String> rolloutMoves(KubernetesClient client) {
    var moves = new ArrayList<String>();
    for (Subject subject : subjects) {
      HasMetadata workload = workload(client, subject);
      String image = template(workload).getSpec().getContainers().get(0).getImage();
      List<Object> counts =
          workload instanceof StatefulSet set && set.getStatus() != null
              ? Arrays.asList(
                  set.getStatus().getUpdatedReplicas(),
                  set.getStatus().getReadyReplicas(),
                  set.getStatus().getCurrentRevision())
              : workload instanceof Deployment deployment && deployment.getStatus() != null
                  ? Arrays.asList(
                      deployment.getStatus().getUpdatedReplicas(),
                      deployment.getStatus().getReadyReplicas(),
                      deployment.getStatus().getAvailableReplicas(),
                      deployment.getStatus().getReplicas())
                  : List.of();
      moves.add(image + " " + counts);
    }
    return moves;
  }

  /**
   * What holds each unsettled workload up, as the API server has it: its generations and replica
   * counts, and its pods' phases, nodes and readiness, so a stall says which part of the testbed
   * stopped (no pods: the controllers; pods without a node: the scheduler; not ready: kwok).
   */
  private String describe(KubernetesClient client, List<String> unsettled) {
    var text = new StringBuilder();
    for (Subject subject : subjects) {
      if (unsettled.stream().noneMatch(u -> u.startsWith(subject.key() + " "))) {
        continue;
      }
      try {
        HasMetadata workload = workload(client, subject);
        text.append(System.lineSeparator())
            .append(subject.key())
            .append(": generation ")
            .append(workload.getMetadata().getGeneration())
            .append(", status ")
            .append(
                workload instanceof StatefulSet set
                    ? set.getStatus()
                    : ((Deployment) workload).getStatus());
        client.pods().list().getItems().stream()
            .filter(pod -> pod.getMetadata().getName().startsWith(subject.name() + "-"))
            .forEach(
                pod ->
                    text.append(System.lineSeparator())
                        .append("  pod ")
                        .append(pod.getMetadata().getName())
                        .append(" ")
                        .append(pod.getStatus().getPhase())
                        .append(" on ")
                        .append(pod.getSpec().getNodeName())
                        .append(
                            pod.getMetadata().getDeletionTimestamp() == null
                                ? ""
                                : ", terminating since " + pod.getMetadata().getDeletionTimestamp())
                        .append(", conditions ")
                        .append(
                            pod.getStatus().getConditions().stream()
                                .map(c -> c.getType() + "=" + c.getStatus())
                                .toList()));
      } catch (RuntimeException e) {
        text.append(System.lineSeparator()).append(subject.key()).append(": ").append(e);
      }
    }
    return text.toString();
  }

  private int nodesRestarted;

  private List<String> unsettled(KubernetesClient client) {
    var unsettled = new ArrayList<String>();
    for (Subject subject : subjects) {
      PushedImage newest = newestAllowed(subject);
      HasMetadata workload = workload(client, subject);
      String image = template(workload).getSpec().getContainers().get(0).getImage();
      if (!newest.pinnedReference().equals(image)) {
        unsettled.add(subject.key() + " names " + image + ", not " + newest.pinnedReference());
      } else if (!rolledOut(workload)) {
        unsettled.add(subject.key() + " still rolling out");
      } else if (subject.kind().isApp()) {
        AppImageRecord record = AppImageRecord.of(client, subject.name());
        if (!newest.digest().equals(record.runningDigest())) {
          unsettled.add(subject.key() + " status " + record);
        }
      }
    }
    return unsettled;
  }

  /** The newest push that is no -crash release. */
  private static PushedImage newestAllowed(Subject subject) {
    for (int i = subject.pushed().size() - 1; i >= 0; i--) {
      if (!subject.pushed().get(i).tag().endsWith("-crash")) {
        return subject.pushed().get(i);
      }
    }
    throw new IllegalStateException(subject.key() + " has no good release");
  }

  private static HasMetadata workload(KubernetesClient client, Subject subject) {
    return subject.kind().isStatefulSet()
        ? client.apps().statefulSets().withName(subject.name()).get()
        : client.apps().deployments().withName(subject.name()).get();
  }

  private static PodTemplateSpec template(HasMetadata workload) {
    return workload instanceof StatefulSet set
        ? set.getSpec().getTemplate()
        : ((Deployment) workload).getSpec().getTemplate();
  }

  private static boolean rolledOut(HasMetadata workload) {
    if (workload instanceof StatefulSet set) {
      var status = set.getStatus();
      return status != null
          && Objects.equals(status.getObservedGeneration(), set.getMetadata().getGeneration())
          && Objects.equals(status.getCurrentRevision(), status.getUpdateRevision())
          && Objects.equals(status.getReadyReplicas(), set.getSpec().getReplicas());
    }
    var deployment = (Deployment) workload;
    var status = deployment.getStatus();
    Integer replicas = deployment.getSpec().getReplicas();
    return status != null
        && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && Objects.equals(status.getUpdatedReplicas(), replicas)
        && Objects.equals(status.getAvailableReplicas(), replicas)
        && Objects.equals(status.getReplicas(), replicas);
  }

  private void addSubject(Kind kind, String name, String run) {
    subjects.add(
        new Subject(name, kind, "faults-" + run + "/" + name, new CopyOnWriteArrayList<>()));
  }

  private static String firstTag(Subject subject) {
    return subject.kind() == Kind.APP_PATTERN ? "1" : "dev";
  }

  private static void create(KubernetesClient client, Subject subject) {
    String image = subject.pushed().get(0).reference();
    switch (subject.kind()) {
      case APP_DEPLOYMENT, APP_STATEFULSET, APP_PATTERN -> {
        App app = Apps.app(subject.name());
        app.getSpec().setImage(image);
        var update = new UpdateSpec();
        update.setInterval("10s");
        if (subject.kind() == Kind.APP_PATTERN) {
          app.getSpec().setReplicas(1);
          update.setPolicy(UpdateSpec.Policy.PATTERN);
          update.setPattern(PATTERN);
          update.setOrder(UpdateSpec.Order.NUMERIC);
          update.setProgressDeadlineSeconds(5);
        } else {
          update.setPolicy(UpdateSpec.Policy.DIGEST);
        }
        app.getSpec().setUpdate(update);
        if (subject.kind() == Kind.APP_STATEFULSET) {
          app.getSpec().setWorkload(Workload.StatefulSet);
        }
        app.getMetadata().setAnnotations(new HashMap<>(Map.of(WRITER_ANNOTATION, "0")));
        client.resource(app).create();
      }
      case TRACKED_DEPLOYMENT ->
          client
              .resource(
                  new DeploymentBuilder()
                      .withMetadata(trackedMetadata(subject.name()))
                      .withNewSpec()
                      .withReplicas(2)
                      .withNewSelector()
                      .addToMatchLabels("tracked", subject.name())
                      .endSelector()
                      .withTemplate(trackedTemplate(subject.name(), image))
                      .endSpec()
                      .build())
              .create();
      case TRACKED_STATEFULSET ->
          client
              .resource(
                  new StatefulSetBuilder()
                      .withMetadata(trackedMetadata(subject.name()))
                      .withNewSpec()
                      .withReplicas(2)
                      .withServiceName(subject.name())
                      .withNewSelector()
                      .addToMatchLabels("tracked", subject.name())
                      .endSelector()
                      .withTemplate(trackedTemplate(subject.name(), image))
                      .endSpec()
                      .build())
              .create();
    }
  }

  private static ObjectMeta trackedMetadata(String name) {
    return new ObjectMetaBuilder()
        .withName(name)
        .addToAnnotations("freshet.dev/policy", "digest")
        .addToAnnotations("freshet.dev/interval", "10s")
        .addToAnnotations(WRITER_ANNOTATION, "0")
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

  /** The App CRD, applied to this test's own testbed (AppCrd installs on the shared one). */
  private static void installCrd(KubernetesClient admin) throws IOException {
    try (var in = ControlPlaneFaultsIT.class.getResourceAsStream(AppCrd.RESOURCE)) {
      admin
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(in)
          .fieldManager("control-plane-faults-it")
          .forceConflicts()
          .serverSideApply();
    }
    await("the App CRD established")
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .withName("apps.freshet.dev")
                    .get()
                    .getStatus()
                    .getConditions()
                    .stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
