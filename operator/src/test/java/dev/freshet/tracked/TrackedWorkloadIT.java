package dev.freshet.tracked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.it.WriteCounter;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.testbed.Workloads;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Workloads Freshet did not create (Deployments, CronJobs), marked with freshet.dev/* annotations,
 * follow their registry the same way Apps do: only the image field changes, under Freshet's own
 * field manager.
 */
@WithTestbed
class TrackedWorkloadIT {
  private static final Duration ROLLOUT = Duration.ofSeconds(60);

  @Test
  void aDeploymentCreatedWithKubectlFollowsTheDigestBehindItsTagAndKeepsItsOtherFields(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    PushedImage first = registry.pusher().push("tracked/web", "dev");
    kubectlCreate(
        testbed,
        ns,
        deployment(
            "web",
            first.reference(),
            Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s")));
    edit(
        client,
        "web",
        d ->
            new DeploymentBuilder(d)
                .editMetadata()
                .addToLabels("team", "payments")
                .endMetadata()
                .build());

    var writes = new WriteCounter();
    try (var freshet = new TrackedOperator(writes.clientIn(testbed, ns.name()), ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(first.pinnedReference()));
      await()
          .atMost(ROLLOUT)
          .until(
              () ->
                  first
                      .digest()
                      .equals(
                          client
                              .apps()
                              .deployments()
                              .withName("web")
                              .get()
                              .getMetadata()
                              .getAnnotations()
                              .get(TrackedStatus.RUNNING_DIGEST)));
      var beforeRollout = writes.counts();
      var conflictsBefore = writes.conflicts();
      // Taking the tag's digest into custody rolls the pods, but nothing newer was found.
      // Events are written by the recorder's own thread: none may come while one would have been.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(12))
          .untilAsserted(() -> assertThat(events(client, "UpdateFound")).isEmpty());

      PushedImage second = registry.pusher().push("tracked/web", "dev");

      // One 10 s interval, jitter and the rollout itself.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(image(client, "web")).isEqualTo(second.pinnedReference());
                Deployment web = client.apps().deployments().withName("web").get();
                assertThat(web.getStatus().getUpdatedReplicas()).isEqualTo(2);
                assertThat(web.getStatus().getAvailableReplicas()).isEqualTo(2);
                assertThat(web.getStatus().getReplicas()).isEqualTo(2);
                assertThat(pods(client, "web"))
                    .hasSize(2)
                    .allSatisfy(
                        p ->
                            assertThat(p.getStatus().getContainerStatuses().get(0).getImageID())
                                .endsWith("@" + second.digest()));
                assertThat(web.getMetadata().getAnnotations())
                    .containsEntry(TrackedStatus.LATEST_DIGEST, second.digest())
                    .containsEntry(TrackedStatus.RUNNING_DIGEST, second.digest())
                    .containsEntry(TrackedStatus.UP_TO_DATE, "True")
                    .containsKeys(
                        TrackedStatus.CHECKED_AT, TrackedStatus.UPDATED_AT, TrackedStatus.HISTORY);
              });

      // A rollout costs two writes and its Events, and no periodic write: the pin with its status,
      // and the status at its end. A write made from a copy the informer had not yet brought up
      // to date is refused (409) and written nothing; it is counted apart.
      var rolloutWrites = writes.since(beforeRollout);
      int refused =
          writes.conflicts().getOrDefault("PATCH deployments", 0)
              - conflictsBefore.getOrDefault("PATCH deployments", 0);
      System.out.println(
          "writes for one tracked Deployment's rollout: "
              + rolloutWrites
              + ", of them refused with 409: "
              + refused);
      assertThat(rolloutWrites.get("PATCH deployments") - refused).isEqualTo(2);
      Deployment web = client.apps().deployments().withName("web").get();
      assertThat(web.getSpec().getReplicas()).isEqualTo(2);
      assertThat(web.getMetadata().getLabels()).containsEntry("team", "payments");
      assertThat(web.getMetadata().getManagedFields())
          .anySatisfy(
              f -> {
                assertThat(f.getManager()).isEqualTo("freshet");
                assertThat(f.getOperation()).isEqualTo("Apply");
                assertThat(f.getFieldsV1().getAdditionalProperties().toString())
                    .contains("f:image");
              });
      // Events are written by the recorder's own thread, a moment after the status.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(events(client, "RollingOut")).isNotEmpty());
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(12))
          .untilAsserted(
              () ->
                  assertThat(events(client, "UpdateFound"))
                      .singleElement()
                      .satisfies(e -> assertThat(e.getMessage()).contains(second.digest())));
    }
  }

  @Test
  void aSemverRangeMovesToTheNewestTagInsideItAndNeverPastIt(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    String repo = "tracked/semver-" + ns.name();
    PushedImage current = registry.pusher().push(repo, "1.4.2");
    kubectlCreate(
        testbed,
        ns,
        deployment(
            "api",
            current.reference(),
            Map.of(
                "freshet.dev/policy",
                "semver",
                "freshet.dev/semver",
                "~1.4",
                "freshet.dev/interval",
                "10s")));

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> assertThat(image(client, "api")).isEqualTo(current.pinnedReference()));

      PushedImage patch = registry.pusher().push(repo, "1.4.3");
      registry.pusher().push(repo, "2.0.0");
      freshet.poller.recheck(registry.host(), repo, java.util.Optional.empty());

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(() -> assertThat(image(client, "api")).isEqualTo(patch.pinnedReference()));
      await()
          .during(Duration.ofSeconds(3))
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(image(client, "api")).doesNotContain("2.0.0"));
    }
  }

  @Test
  void aPrivateRegistryNeedsThePullSecretAndWithoutItNothingChanges(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.authRegistry();
    PushedImage image = registry.pusher().push("private/web", "dev");
    kubectlCreate(
        testbed,
        ns,
        deployment(
            "web",
            image.reference(),
            Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s")));

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                Deployment web = client.apps().deployments().withName("web").get();
                assertThat(web.getMetadata().getAnnotations())
                    .containsEntry(TrackedStatus.UP_TO_DATE, "False")
                    .hasEntrySatisfying(
                        TrackedStatus.MESSAGE,
                        m -> assertThat(m).startsWith("Unauthorized").contains("credentials"));
              });
      assertThat(image(client, "web")).isEqualTo(image.reference());

      client.secrets().resource(registry.pullSecret("pull")).create();
      edit(
          client,
          "web",
          d ->
              new DeploymentBuilder(d)
                  .editSpec()
                  .editTemplate()
                  .editSpec()
                  .addNewImagePullSecret("pull")
                  .endSpec()
                  .endTemplate()
                  .endSpec()
                  .build());

      await()
          .atMost(ROLLOUT)
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(image.pinnedReference()));
    }
  }

  @Test
  void anImageOwnedByAGitOpsControllerIsNotTakenOverUnlessForced(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    PushedImage image = registry.pusher().push("tracked/gitops", "dev");
    // Flux's kustomize-controller applies server-side under this manager name.
    client
        .resource(
            deployment(
                "web",
                image.reference(),
                Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s")))
        .fieldManager("kustomize-controller")
        .serverSideApply();

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(events(client, "OwnershipConflict"))
                    .singleElement()
                    .satisfies(e -> assertThat(e.getMessage()).contains("kustomize-controller"));
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .withName("web")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .hasEntrySatisfying(
                        TrackedStatus.MESSAGE, m -> assertThat(m).contains("kustomize-controller"));
              });
      assertThat(image(client, "web")).isEqualTo(image.reference());

      edit(
          client,
          "web",
          d ->
              new DeploymentBuilder(d)
                  .editMetadata()
                  .addToAnnotations("freshet.dev/force", "true")
                  .endMetadata()
                  .build());

      await()
          .atMost(ROLLOUT)
          .untilAsserted(() -> assertThat(image(client, "web")).isEqualTo(image.pinnedReference()));
    }
  }

  @Test
  void anImageChangeTheApiServerRefusesIsReportedNotRetriedInSilence(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    PushedImage image = registry.pusher().push("tracked/refused", "dev");
    // A cluster policy (as Kyverno or Gatekeeper would hold) that refuses digest-pinned images in
    // this namespace only: Freshet's apply is invalid however often it is tried.
    String policyName = "no-digests-" + ns.name();
    HasMetadata policy =
        Serialization.unmarshal(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: %s}
            spec:
              failurePolicy: Fail
              matchConstraints:
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [deployments]}
              validations:
              - expression: "object.spec.template.spec.containers.all(c, !c.image.contains('@'))"
                message: images here are named by tag only
            """
                .formatted(policyName));
    HasMetadata binding =
        Serialization.unmarshal(
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicyBinding
            metadata: {name: %s}
            spec:
              policyName: %s
              validationActions: [Deny]
              matchResources:
                namespaceSelector:
                  matchLabels: {kubernetes.io/metadata.name: %s}
            """
                .formatted(policyName, policyName, ns.name()));
    try {
      client.resource(policy).create();
      client.resource(binding).create();
      kubectlCreate(
          testbed,
          ns,
          deployment(
              "web",
              image.reference(),
              Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s")));
      // A new policy is enforced only once the API server has loaded it: until a digest-pinned
      // image is refused (asked with a dry run), Freshet's pin could still get through.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> refusesDigests(client, image.pinnedReference()));

      try (var freshet = new TrackedOperator(testbed, ns.name())) {
        await()
            .atMost(ROLLOUT)
            .untilAsserted(
                () -> {
                  assertThat(events(client, "ReconcileError"))
                      .anySatisfy(
                          e -> assertThat(e.getMessage()).contains("images here are named by tag"));
                  assertThat(
                          client
                              .apps()
                              .deployments()
                              .withName("web")
                              .get()
                              .getMetadata()
                              .getAnnotations())
                      .hasEntrySatisfying(
                          TrackedStatus.MESSAGE,
                          m -> assertThat(m).contains("images here are named by tag"));
                });
        assertThat(image(client, "web")).isEqualTo(image.reference());
      }
    } finally {
      client.resource(binding).delete();
      client.resource(policy).delete();
    }
  }

  @Test
  void aWorkloadThatNeverMentionsFreshetCostsNoReconcileUntilItAsksToBeTracked(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    PushedImage image = testbed.registry().pusher().push("tracked/plain", "dev");
    kubectlCreate(testbed, ns, deployment("plain", image.reference(), Map.of()));
    var reconciled = new java.util.concurrent.ConcurrentHashMap<String, Integer>();
    Metrics counting =
        new Metrics() {
          @Override
          public void reconcileCustomResource(
              HasMetadata resource, RetryInfo retry, Map<String, Object> metadata) {
            reconciled.merge(resource.getMetadata().getName(), 1, Integer::sum);
          }
        };

    try (var freshet = new TrackedOperator(testbed.clientIn(ns.name()), ns.name(), counting)) {
      // Its pods start and become ready, and it is scaled: each a change of its status.
      awaitAvailable(client, "plain", 2);
      client.apps().deployments().withName("plain").scale(3);
      awaitAvailable(client, "plain", 3);
      assertThat(reconciled).doesNotContainKey("plain");

      edit(
          client,
          "plain",
          d ->
              new DeploymentBuilder(d)
                  .editMetadata()
                  .addToAnnotations("freshet.dev/policy", "digest")
                  .endMetadata()
                  .build());

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> assertThat(image(client, "plain")).isEqualTo(image.pinnedReference()));
      assertThat(reconciled).containsKey("plain");
    }
  }

  private static void awaitAvailable(KubernetesClient client, String name, int replicas) {
    await()
        .atMost(ROLLOUT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .withName(name)
                            .get()
                            .getStatus()
                            .getAvailableReplicas())
                    .isEqualTo(replicas));
  }

  @Test
  void removingThePolicyAnnotationStopsTrackingAndClearsTheStatus(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    PushedImage image = registry.pusher().push("tracked/stop", "dev");
    kubectlCreate(
        testbed,
        ns,
        deployment(
            "web",
            image.reference(),
            Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s")));

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(
                          client
                              .apps()
                              .deployments()
                              .withName("web")
                              .get()
                              .getMetadata()
                              .getAnnotations())
                      .containsKey(TrackedStatus.LATEST_DIGEST));
      assertThat(freshet.poller.distinctWatches()).isEqualTo(1);

      edit(
          client,
          "web",
          d ->
              new DeploymentBuilder(d)
                  .editMetadata()
                  .removeFromAnnotations("freshet.dev/policy")
                  .endMetadata()
                  .build());

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(
                        TrackedStatus.of(
                            client
                                .apps()
                                .deployments()
                                .withName("web")
                                .get()
                                .getMetadata()
                                .getAnnotations()))
                    .isEmpty();
                assertThat(freshet.poller.distinctWatches()).isZero();
              });
    }
  }

  @Test
  void containersSharingAnImageAndANamedInitContainerEachFollowTheirPushes(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    String webRepo = "tracked/multi-web-" + ns.name();
    String toolsRepo = "tracked/multi-tools-" + ns.name();
    PushedImage web = registry.pusher().push(webRepo, "dev");
    // The tools image is pushed only once the web containers are pinned, so the init container is
    // updated by an apply of its own: that apply must keep the images Freshet set before it.
    String toolsReference = registry.host() + "/" + toolsRepo + ":dev";
    Deployment deployment =
        new DeploymentBuilder(
                deployment(
                    "multi",
                    web.reference(),
                    Map.of(
                        "freshet.dev/policy", "digest",
                        "freshet.dev/interval", "10s",
                        "freshet.dev/containers", "app,worker,migrate")))
            .editSpec()
            .editTemplate()
            .editSpec()
            .addNewContainer()
            .withName("worker")
            .withImage(web.reference())
            .endContainer()
            .addNewInitContainer()
            .withName("migrate")
            .withImage(toolsReference)
            .endInitContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    kubectlCreate(testbed, ns, deployment);

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(images(client, "multi"))
                      .containsExactly(
                          "migrate=" + toolsReference,
                          "app=" + web.pinnedReference(),
                          "worker=" + web.pinnedReference()));

      PushedImage tools = registry.pusher().push(toolsRepo, "dev");
      freshet.poller.recheck(registry.host(), toolsRepo, Optional.of("dev"));
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () ->
                  assertThat(images(client, "multi"))
                      .containsExactly(
                          "migrate=" + tools.pinnedReference(),
                          "app=" + web.pinnedReference(),
                          "worker=" + web.pinnedReference()));

      PushedImage newWeb = registry.pusher().push(webRepo, "dev");
      PushedImage newTools = registry.pusher().push(toolsRepo, "dev");
      freshet.poller.recheck(registry.host(), webRepo, Optional.of("dev"));
      freshet.poller.recheck(registry.host(), toolsRepo, Optional.of("dev"));

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(images(client, "multi"))
                    .containsExactly(
                        "migrate=" + newTools.pinnedReference(),
                        "app=" + newWeb.pinnedReference(),
                        "worker=" + newWeb.pinnedReference());
                Deployment multi = client.apps().deployments().withName("multi").get();
                // Each container is named in the status, init containers with the others.
                String expected =
                    "app="
                        + newWeb.digest()
                        + ",migrate="
                        + newTools.digest()
                        + ",worker="
                        + newWeb.digest();
                assertThat(multi.getMetadata().getAnnotations())
                    .containsEntry(TrackedStatus.LATEST_DIGEST, expected)
                    .containsEntry(TrackedStatus.LATEST_TAG, "app=dev,migrate=dev,worker=dev")
                    .containsEntry(TrackedStatus.UP_TO_DATE, "True");
              });
      // Applying by name in the right list changed images only: no container was added or lost.
      assertThat(
              client.apps().deployments().withName("multi").get().getSpec().getTemplate().getSpec())
          .satisfies(
              spec -> {
                assertThat(spec.getContainers())
                    .extracting(Container::getName)
                    .containsExactly("app", "worker");
                assertThat(spec.getInitContainers())
                    .extracting(Container::getName)
                    .containsExactly("migrate");
              });
      // Events are written by the recorder's own thread, a moment after the status.
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () ->
                  assertThat(events(client, "RollingOut"))
                      .anySatisfy(
                          e ->
                              assertThat(e.getMessage())
                                  .startsWith("init container migrate rolling to")));
    }
  }

  @Test
  void aCronJobOnATagFollowsAPushInItsJobTemplateWithoutARunOrAHealthGate(
      Testbed testbed, TestNamespace ns, KubernetesClient client) throws Exception {
    Registry registry = testbed.registry();
    String repo = "tracked/report-" + ns.name();
    PushedImage first = registry.pusher().push(repo, "nightly");
    // Once a year and suspended: no Job runs during the test; the template is what the next run
    // uses.
    CronJob report =
        new CronJobBuilder()
            .withNewMetadata()
            .withName("report")
            .withAnnotations(Map.of("freshet.dev/policy", "digest", "freshet.dev/interval", "10s"))
            .endMetadata()
            .withNewSpec()
            .withSchedule("0 3 1 1 *")
            .withSuspend(true)
            .withNewJobTemplate()
            .withNewSpec()
            .withNewTemplate()
            .withNewSpec()
            .withRestartPolicy("OnFailure")
            .addNewContainer()
            .withName("report")
            .withImage(first.reference())
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .endJobTemplate()
            .endSpec()
            .build();
    kubectlCreate(testbed, ns, report);

    try (var freshet = new TrackedOperator(testbed, ns.name())) {
      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> assertThat(cronJobImage(client, "report")).isEqualTo(first.pinnedReference()));

      PushedImage second = registry.pusher().push(repo, "nightly");
      freshet.poller.recheck(registry.host(), repo, Optional.of("nightly"));

      await()
          .atMost(ROLLOUT)
          .untilAsserted(
              () -> {
                assertThat(cronJobImage(client, "report")).isEqualTo(second.pinnedReference());
                // No rollout to wait for: what the next run will use counts as running at once.
                assertThat(
                        client
                            .batch()
                            .v1()
                            .cronjobs()
                            .withName("report")
                            .get()
                            .getMetadata()
                            .getAnnotations())
                    .containsEntry(TrackedStatus.LATEST_DIGEST, second.digest())
                    .containsEntry(TrackedStatus.RUNNING_DIGEST, second.digest())
                    .containsEntry(TrackedStatus.UP_TO_DATE, "True");
              });
      CronJob after = client.batch().v1().cronjobs().withName("report").get();
      assertThat(after.getSpec().getSchedule()).isEqualTo("0 3 1 1 *");
      assertThat(after.getSpec().getSuspend()).isTrue();
      assertThat(after.getMetadata().getManagedFields())
          .anySatisfy(
              f -> {
                assertThat(f.getManager()).isEqualTo("freshet");
                assertThat(f.getFieldsV1().getAdditionalProperties().toString())
                    .contains("f:jobTemplate")
                    .contains("f:image");
              });
      assertThat(client.batch().v1().jobs().list().getItems()).isEmpty();
    }
  }

  /** Edits under optimistic locking, retried: Freshet writes the same object concurrently. */
  private static void edit(
      KubernetesClient client, String name, java.util.function.UnaryOperator<Deployment> change) {
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> client.apps().deployments().withName(name).edit(change) != null);
  }

  private static Deployment deployment(String name, String image, Map<String, String> annotations) {
    Deployment deployment = Workloads.deployment(name, image, 2);
    deployment.getMetadata().setAnnotations(annotations);
    return deployment;
  }

  /**
   * Creates the object with the testbed's kubectl, as a person would, so its fields belong to
   * kubectl.
   */
  private static void kubectlCreate(Testbed testbed, TestNamespace ns, HasMetadata workload)
      throws Exception {
    Path manifest = Files.createTempFile("workload", ".json");
    Files.writeString(manifest, io.fabric8.kubernetes.client.utils.Serialization.asJson(workload));
    Process process =
        new ProcessBuilder(
                testbed.kubectl().toString(),
                "--kubeconfig",
                testbed.kubeconfig().toString(),
                "-n",
                ns.name(),
                "create",
                "-f",
                manifest.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static String cronJobImage(KubernetesClient client, String name) {
    return client
        .batch()
        .v1()
        .cronjobs()
        .withName(name)
        .get()
        .getSpec()
        .getJobTemplate()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  private static String image(KubernetesClient client, String name) {
    return client
        .apps()
        .deployments()
        .withName(name)
        .get()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }

  /** Every container's {@code name=image}, init containers first, as the pod runs them. */
  private static List<String> images(KubernetesClient client, String name) {
    var spec = client.apps().deployments().withName(name).get().getSpec().getTemplate().getSpec();
    return java.util.stream.Stream.concat(
            spec.getInitContainers().stream(), spec.getContainers().stream())
        .map(c -> c.getName() + "=" + c.getImage())
        .toList();
  }

  private static List<Pod> pods(KubernetesClient client, String app) {
    return client.pods().withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private static boolean refusesDigests(KubernetesClient client, String pinned) {
    Deployment web = client.apps().deployments().withName("web").get();
    web.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(pinned);
    try {
      client.resource(web).dryRun().update();
      return false;
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      return e.getCode() == 422;
    }
  }

  private static List<Event> events(KubernetesClient client, String reason) {
    return client.v1().events().list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }
}
