package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Apps;
import dev.freshet.it.TemplateRecorder;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Freshet as install.yaml installs it: the image this build made, pulled from a registry and run
 * from its own file system with its own entrypoint, as the pod's non-root user, with no identity
 * but a token of the {@code freshet} ServiceAccount and the checked-in RBAC. It deploys an App,
 * follows a push announced by a signed webhook and holds its Lease without a single request
 * refused; the same RBAC without one verb stops it, and it says why; of two replicas only the
 * leader writes, and after the leader is SIGKILLed the other takes over and rolls the next push
 * exactly once.
 *
 * <p>Each replica is an {@link InstalledPod}: chrooted into the pulled image in a mount namespace
 * of its own ({@code unshare --mount}), where the token, CA and namespace are bind-mounted at
 * /var/run/secrets/kubernetes.io/serviceaccount and {@code KUBERNETES_SERVICE_HOST/PORT} name the
 * testbed's API server, exactly what the client reads in a pod; no client override is used. The
 * manifest's defaults hold, the Lease timings included; only the ports (the replicas share this
 * machine's network) and the Lease's name (one per test) differ.
 */
@WithTestbed
class InstalledOperatorIT {

  private static final String HMAC = "installed-operator-webhook-secret";
  private static final String RECONCILES =
      "operator_sdk_controllers_execution_reconcile_seconds_count";

  /**
   * A refusal by the authorizer, the API server's words for RBAC saying no. Not any "forbidden":
   * the operator watches every namespace, and an admission policy a test before this one left
   * behind may still refuse a change there ("is forbidden: ValidatingAdmissionPolicy …"), which
   * says nothing of the RBAC.
   */
  private static final Pattern FORBIDDEN =
      Pattern.compile(
          "(?i)\\bcannot [a-z]+ resource\\b|forbidden: User\\b|Forbidden!Configured service"
              + " account|\\bcode=403\\b");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir static Path imageRoot;
  private static PulledImage image;

  @TempDir Path work;
  private final List<InstalledPod> pods = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @AfterEach
  void stopPods() {
    pods.forEach(InstalledPod::close);
    cleanups.forEach(Runnable::run);
  }

  @Test
  void installedOperatorDeploysFollowsAPushServesAWebhookAndLeadsWithItsOwnRbac(
      KubernetesClient admin, TestNamespace ns, Testbed testbed) throws Exception {
    install(admin, testbed, ns);
    PushedImage first = testbed.registry().pusher().push("demo/" + ns.name(), "dev");

    InstalledPod pod = startPod(admin, testbed, ns, "freshet-operator-a", "freshet");
    Instant started = Instant.now();
    await().atMost(Duration.ofSeconds(120)).until(pod.process()::isReady);
    System.out.printf(
        "installed operator: start to ready %d ms%n",
        Duration.between(started, Instant.now()).toMillis());
    assertRunsAsThePodsUser(pod);

    admin.resource(app(first)).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(templateImage(admin)).isEqualTo(first.pinnedReference()));
    assertThat(holder(admin, ns)).startsWith(pod.name() + "-");
    assertThat(leaderLabel(admin, pod)).isEqualTo("true");

    PushedImage second = testbed.registry().pusher().push("demo/" + ns.name(), "dev");
    Instant sent = notify(pod, second);
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(templateImage(admin)).isEqualTo(second.pinnedReference()));
    System.out.printf(
        "installed operator: webhook sent to template pinned %d ms%n",
        Duration.between(sent, Instant.now()).toMillis());
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(admin.resources(App.class).withName("web").get().getStatus().getImage())
                    .extracting(i -> i.getRunningDigest())
                    .isEqualTo(second.digest()));

    assertThat(refusals(pod.log()))
        .as("a request of the operator was refused:%n%s", pod.log())
        .isEmpty();
  }

  /**
   * The log lines that say RBAC refused a request. A cluster-wide operator also meets other tests'
   * Apps, and a write into a namespace being deleted is refused with 403 too: that one is the
   * namespace's state, not a missing permission.
   */
  private static List<String> refusals(String log) {
    return log.lines()
        .filter(line -> FORBIDDEN.matcher(line).find())
        .filter(line -> !line.contains("because it is being terminated"))
        .toList();
  }

  @Test
  void withoutPatchOnDeploymentsTheInstalledOperatorCannotDeployAndSaysWhy(
      KubernetesClient admin, TestNamespace ns, Testbed testbed) throws Exception {
    install(admin, testbed, ns);
    String restricted = identityWithout(admin, ns, "apps", "deployments", "patch");
    PushedImage pushed = testbed.registry().pusher().push("demo/" + ns.name(), "dev");

    InstalledPod pod = startPod(admin, testbed, ns, "freshet-operator-a", restricted);
    await().atMost(Duration.ofSeconds(120)).until(pod.process()::isReady);
    admin.resource(app(pushed)).create();

    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              App app = admin.resources(App.class).withName("web").get();
              assertThat(app.getStatus()).isNotNull();
              assertThat(app.getStatus().getConditions())
                  .anySatisfy(
                      c -> {
                        assertThat(c.getType()).isEqualTo("Degraded");
                        assertThat(c.getStatus()).isEqualTo("True");
                        assertThat(c.getReason()).isEqualTo("ReconcileError");
                        assertThat(c.getMessage())
                            .contains("(403)")
                            .contains("cannot patch resource \"deployments\"");
                      });
            });
    assertThat(admin.apps().deployments().withName("web").get()).isNull();
    // Events are written by the recorder's own thread, a moment after the status.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(admin.v1().events().list().getItems())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getReason()).isEqualTo("ReconcileError");
                          assertThat(e.getMessage())
                              .contains("cannot patch resource \"deployments\"");
                        }));
    // The JSON log escapes the quotes.
    assertThat(pod.log()).contains("cannot patch resource \\\"deployments\\\"");
  }

  @Test
  void ofTwoInstalledReplicasOnlyTheLeaderWritesAndAfterSigkillTheOtherRollsTheNextPushOnce(
      KubernetesClient admin, TestNamespace ns, Testbed testbed) throws Exception {
    install(admin, testbed, ns);
    PushedImage first = testbed.registry().pusher().push("demo/" + ns.name(), "dev");

    InstalledPod a = startPod(admin, testbed, ns, "freshet-operator-a", "freshet");
    InstalledPod b = startPod(admin, testbed, ns, "freshet-operator-b", "freshet");
    Instant started = Instant.now();
    await()
        .atMost(Duration.ofSeconds(150))
        .until(() -> a.process().isReady() && b.process().isReady());
    System.out.printf(
        "two installed replicas: start to both ready %d ms%n",
        Duration.between(started, Instant.now()).toMillis());

    admin.resource(app(first)).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(templateImage(admin)).isEqualTo(first.pinnedReference()));
    InstalledPod leader = holder(admin, ns).startsWith(a.name() + "-") ? a : b;
    InstalledPod follower = leader == a ? b : a;
    assertThat(reconciles(leader)).isPositive();
    assertThat(reconciles(follower)).as("the follower's reconciles").isZero();
    assertThat(leaderLabel(admin, leader)).isEqualTo("true");
    assertThat(leaderLabel(admin, follower)).isNull();

    try (var templates = TemplateRecorder.start(admin, ns.name())) {
      leader.process().kill();
      Instant killed = Instant.now();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> holder(admin, ns).startsWith(follower.name() + "-"));
      Duration takeover = Duration.between(killed, Instant.now());
      System.out.printf(
          "two installed replicas: leader SIGKILLed to Lease held by the other %d ms%n",
          takeover.toMillis());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> reconciles(follower) > 0 && "true".equals(leaderLabel(admin, follower)));

      PushedImage second = testbed.registry().pusher().push("demo/" + ns.name(), "dev");
      notify(follower, second);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> assertThat(templateImage(admin)).isEqualTo(second.pinnedReference()));
      System.out.printf(
          "two installed replicas: leader SIGKILLed to the next push pinned by the other %d ms%n",
          Duration.between(killed, Instant.now()).toMillis());
      // Long enough for a second apply or a late write of the dead leader to show.
      await()
          .during(Duration.ofSeconds(5))
          .atMost(Duration.ofSeconds(10))
          .until(() -> templates.images("Deployment/web").size() == 2);
      assertThat(templates.watchFailures()).isEmpty();
      assertThat(templates.images("Deployment/web"))
          .containsExactly(first.pinnedReference(), second.pinnedReference());
      // A candidate may take the Lease once it has gone unrenewed for the lease duration, and
      // fabric8's elector tries every retry period plus up to 1.2 times it (jitter): with the
      // manifest's settings that bounds the takeover; a second covers this test's polling.
      Deployment deployment = InstallManifest.deployment(admin);
      Duration bound =
          setting(
                  deployment,
                  "--lease-duration",
                  OperatorSettings.LeaderElection.DEFAULT_LEASE_DURATION)
              .plus(
                  setting(
                          deployment,
                          "--lease-retry-period",
                          OperatorSettings.LeaderElection.DEFAULT_RETRY_PERIOD)
                      .multipliedBy(22)
                      .dividedBy(10))
              .plusSeconds(1);
      System.out.printf(
          "two installed replicas: takeover bound of the manifest's lease settings %d ms%n",
          bound.toMillis());
      assertThat(takeover).isLessThan(bound).isLessThan(Duration.ofSeconds(15));
    }
    for (InstalledPod pod : List.of(a, b)) {
      assertThat(refusals(pod.log()))
          .as("a request of %s was refused:%n%s", pod.name(), pod.log())
          .isEmpty();
    }
  }

  /** The CRD, install.yaml's identity and RBAC, the receivers' Secret, and the pulled image. */
  private void install(KubernetesClient admin, Testbed testbed, TestNamespace ns)
      throws IOException, InterruptedException {
    AppCrd.install(testbed.client());
    InstallManifest.applyIdentity(admin);
    admin
        .secrets()
        .inNamespace(InstallManifest.NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("freshet-webhook")
                .withNamespace(InstallManifest.NAMESPACE)
                .endMetadata()
                .withStringData(Map.of("hmac", HMAC))
                .build())
        .forceConflicts()
        .serverSideApply();
    cleanups.add(
        () ->
            admin.leases().inNamespace(InstallManifest.NAMESPACE).withName(leaseName(ns)).delete());
    synchronized (InstalledOperatorIT.class) {
      if (image == null) {
        Instant pull = Instant.now();
        image = PulledImage.pushAndPull(testbed.registry(), "freshet/operator", "0.1.0", imageRoot);
        System.out.printf(
            "operator image %s pulled and unpacked in %d ms%n",
            image.digest(), Duration.between(pull, Instant.now()).toMillis());
      }
    }
  }

  /**
   * A replica named {@code podName}, with a token of {@code serviceAccount}, and its Pod object in
   * freshet-system (kwok runs it), so the leader has a pod to label as the webhook Service's
   * endpoint.
   */
  private InstalledPod startPod(
      KubernetesClient admin,
      Testbed testbed,
      TestNamespace ns,
      String podName,
      String serviceAccount)
      throws IOException {
    Deployment deployment = InstallManifest.deployment(admin);
    var pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(InstallManifest.NAMESPACE)
            .withLabels(deployment.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(deployment.getSpec().getTemplate().getSpec())
            .editSpec()
            .withServiceAccountName(serviceAccount)
            .endSpec()
            .build();
    admin.pods().inNamespace(InstallManifest.NAMESPACE).withName(podName).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                admin.pods().inNamespace(InstallManifest.NAMESPACE).withName(podName).get()
                    == null);
    admin.resource(pod).create();
    cleanups.add(
        () -> admin.pods().inNamespace(InstallManifest.NAMESPACE).withName(podName).delete());
    var installed =
        InstalledPod.start(
            deployment,
            image,
            podName,
            InstallManifest.token(admin, serviceAccount),
            testbed.config(),
            leaseName(ns),
            work);
    pods.add(installed);
    return installed;
  }

  /**
   * A service account bound to the checked-in ClusterRole without {@code verb} on {@code resource}
   * (and to the checked-in leader-election Role); returns its name. Removed again after the test.
   */
  private String identityWithout(
      KubernetesClient admin, TestNamespace ns, String group, String resource, String verb) {
    String name = "freshet-without-" + verb + "-" + resource;
    ClusterRole checkedIn = InstallManifest.object(admin, ClusterRole.class, "freshet-operator");
    List<PolicyRule> rules = new ArrayList<>();
    for (PolicyRule rule : checkedIn.getRules()) {
      if (rule.getApiGroups().contains(group) && rule.getResources().contains(resource)) {
        List<String> others = new ArrayList<>(rule.getResources());
        others.remove(resource);
        if (!others.isEmpty()) {
          rules.add(new PolicyRuleBuilder(rule).withResources(others).build());
        }
        List<String> verbs = new ArrayList<>(rule.getVerbs());
        assertThat(verbs.remove(verb)).as("the checked-in RBAC grants %s", verb).isTrue();
        rules.add(new PolicyRuleBuilder(rule).withResources(resource).withVerbs(verbs).build());
      } else {
        rules.add(rule);
      }
    }
    admin
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(InstallManifest.NAMESPACE)
                .endMetadata()
                .build())
        .forceConflicts()
        .serverSideApply();
    admin
        .resource(
            new ClusterRoleBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withRules(rules)
                .build())
        .forceConflicts()
        .serverSideApply();
    ClusterRoleBinding binding =
        InstallManifest.object(admin, ClusterRoleBinding.class, "freshet-operator");
    admin
        .resource(
            new ClusterRoleBindingBuilder(binding)
                .editMetadata()
                .withName(name)
                .endMetadata()
                .editRoleRef()
                .withName(name)
                .endRoleRef()
                .editFirstSubject()
                .withName(name)
                .endSubject()
                .build())
        .forceConflicts()
        .serverSideApply();
    RoleBinding leaderElection =
        InstallManifest.object(admin, RoleBinding.class, "freshet-leader-election");
    admin
        .resource(
            new RoleBindingBuilder(leaderElection)
                .editMetadata()
                .withName(name)
                .endMetadata()
                .editFirstSubject()
                .withName(name)
                .endSubject()
                .build())
        .forceConflicts()
        .serverSideApply();
    cleanups.add(
        () -> {
          admin.rbac().clusterRoleBindings().withName(name).delete();
          admin.rbac().clusterRoles().withName(name).delete();
          admin
              .rbac()
              .roleBindings()
              .inNamespace(InstallManifest.NAMESPACE)
              .withName(name)
              .delete();
          admin.serviceAccounts().inNamespace(InstallManifest.NAMESPACE).withName(name).delete();
        });
    return name;
  }

  /** What a pod with install.yaml's security context would be: 65532:65532, no capabilities. */
  private static void assertRunsAsThePodsUser(InstalledPod pod) throws IOException {
    Map<String, String> credentials = pod.credentials();
    System.out.printf(
        "installed operator process %d: Uid %s, Gid %s, Groups %s, CapEff %s, NoNewPrivs %s%n",
        pod.pid(),
        credentials.get("Uid"),
        credentials.get("Gid"),
        credentials.get("Groups"),
        credentials.get("CapEff"),
        credentials.get("NoNewPrivs"));
    assertThat(credentials.get("Uid")).isEqualTo("65532\t65532\t65532\t65532");
    assertThat(credentials.get("Gid")).isEqualTo("65532\t65532\t65532\t65532");
    assertThat(credentials.get("Groups")).isIn("", "65532");
    assertThat(credentials.get("CapEff")).isEqualTo("0000000000000000");
    assertThat(credentials.get("CapPrm")).isEqualTo("0000000000000000");
    assertThat(credentials.get("NoNewPrivs")).isEqualTo("1");
    assertThat(pod.root()).isEqualTo(image.root());
  }

  /** The generic form, signed with the receivers' secret, to the replica's receiver port. */
  private static Instant notify(InstalledPod pod, PushedImage pushed) {
    var client = new NotifyClient(HTTP, Clock.systemUTC(), Duration.ofSeconds(10), List.of());
    URI url = URI.create("http://127.0.0.1:" + pod.receiverPort() + "/hooks/generic");
    // The receivers read their Secret through a watch: until it has, the route answers 404.
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () -> {
              Instant now = Instant.now();
              client.notify(url, Secret.of(HMAC), pushed.reference(), Optional.of(pushed.digest()));
              return now;
            },
            sent -> true);
  }

  private static App app(PushedImage image) {
    App app = Apps.app("web");
    app.getSpec().setImage(image.reference());
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    // Only a webhook can move the App within a test's time.
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }

  private static String templateImage(KubernetesClient client) {
    Deployment d = client.apps().deployments().withName("web").get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** A lease option as the manifest's args set it, else the operator's default. */
  private static Duration setting(Deployment deployment, String option, String defaultValue) {
    String value =
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs().stream()
            .filter(a -> a.startsWith(option + "="))
            .map(a -> a.substring(option.length() + 1))
            .findFirst()
            .orElse(defaultValue);
    return Duration.parse("PT" + value.toUpperCase(java.util.Locale.ROOT));
  }

  private static String leaseName(TestNamespace ns) {
    return "freshet-" + ns.name();
  }

  private static String holder(KubernetesClient admin, TestNamespace ns) {
    var lease = admin.leases().inNamespace(InstallManifest.NAMESPACE).withName(leaseName(ns)).get();
    return lease == null || lease.getSpec().getHolderIdentity() == null
        ? ""
        : lease.getSpec().getHolderIdentity();
  }

  private static String leaderLabel(KubernetesClient admin, InstalledPod pod) {
    return admin
        .pods()
        .inNamespace(InstallManifest.NAMESPACE)
        .withName(pod.name())
        .get()
        .getMetadata()
        .getLabels()
        .get("freshet.dev/leader");
  }

  private static long reconciles(InstalledPod pod) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + pod.process().httpPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .lines()
        .filter(line -> line.startsWith(RECONCILES))
        .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }
}
