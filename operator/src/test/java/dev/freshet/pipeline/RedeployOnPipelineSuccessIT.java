package dev.freshet.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.Apps;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's own task scripts, run one after the other as a CI runner would (test, build and
 * push, notify), against Freshet running in this JVM: the demo App is rolled to exactly the digest
 * the push produced, within a second of the notification. The App's poll interval is an hour, so
 * only the notification can have caused the rollout.
 */
@WithTestbed
class RedeployOnPipelineSuccessIT {
  private static final String HMAC = "pipeline-secret-for-tests";
  // The demo app's tests check the Concourse pipeline with fly, which a first run on a machine
  // builds.
  private static final Duration MAVEN_STEP = Duration.ofMinutes(30);

  @Test
  void aPipelineRunRedeploysTheDemoAppWithThePushedDigestWithinASecondOfTheNotify(
      Testbed testbed, TestNamespace ns, KubernetesClient client, @TempDir Path work)
      throws Exception {
    Path root = testbed.checkoutRoot();
    String repository = "demo/app-" + ns.name();
    // An image of the App before this pipeline run; not a Jib build, whose digest would repeat.
    PushedImage before = testbed.registry().pusher().push(repository, "dev");

    try (var freshet = FreshetWithWebhooks.start(client, ns.name(), Map.of("hmac", HMAC))) {
      freshet.listen(new InetSocketAddress("127.0.0.1", 0), "/hooks/generic", hint -> {});
      client.resource(demoApp(before.reference())).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertRolledOut(client, before.pinnedReference()));

      ScriptRun.succeed(root, "ci/tasks/test.sh", Map.of("MODULES", "demo-app"), MAVEN_STEP);
      Path imageDir = work.resolve("image");
      ScriptRun.succeed(
          root,
          "ci/tasks/build-and-push.sh",
          Map.of(
              "IMAGE",
              before.reference(),
              "INSECURE_REGISTRY",
              "true",
              "OUTPUT_DIR",
              imageDir.toString(),
              "DEMO_VERSION",
              ns.name()),
          MAVEN_STEP);
      String pushed = Files.readString(imageDir.resolve("digest")).strip();
      assertThat(pushed).matches("sha256:[0-9a-f]{64}").isNotEqualTo(before.digest());
      String wanted = before.reference() + "@" + pushed;
      // The push alone must not have moved the App: nothing but the notify may.
      assertThat(DeploymentImages.image(client, "demo")).isEqualTo(before.pinnedReference());

      // As in an operator that has run for a while, the endpoint has answered a request before: the
      // figure is the notify's path, not the first request a fresh server ever serves.
      warmUp(freshet.url("/hooks/generic"));
      var patched = DeploymentImages.whenPinned(client, "demo", wanted);
      ScriptRun notify;
      try (var cli = CliLauncher.in(work.resolve("cli"), root)) {
        notify =
            ScriptRun.succeed(
                root,
                "ci/tasks/notify.sh",
                Map.of(
                    "FRESHET_URL", freshet.url("/hooks/generic").toString(),
                    "FRESHET_SECRET", HMAC,
                    "IMAGE_DIR", imageDir.toString(),
                    "FRESHET", cli.path().toString(),
                    // The JDK's HTTP client logs the request as it sends it: the send time, from
                    // the CLI itself.
                    "FRESHET_JAVA_OPTS", "-Djdk.httpclient.HttpClient.log=requests"),
                Duration.ofMinutes(2));
      }
      // The JDK client logs through System.Logger, which the CLI sends to logback: one JSON object
      // per line, '/' escaped, stamped with the CLI's own clock when the request went out.
      String requestUrl = freshet.url("/hooks/generic").toString().replace("/", "\\/");
      String requestLog =
          notify
              .firstLineContaining("\"formattedMessage\":\"REQUEST: " + requestUrl)
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "notify.sh did not log its request as JSON:\n" + notify.output()))
              .text();
      Matcher stamp = Pattern.compile("^\\{\"timestamp\":(\\d+),").matcher(requestLog);
      assertThat(stamp.find()).as("a JSON log line: %s", requestLog).isTrue();
      Instant sent = Instant.ofEpochMilli(Long.parseLong(stamp.group(1)));
      Instant at = patched.get(30, TimeUnit.SECONDS);

      Duration latency = Duration.between(sent, at);
      System.out.printf(
          "pipeline notify sent -> demo Deployment patched to %s: %d ms%n",
          pushed, latency.toMillis());
      assertThat(latency).isLessThan(Duration.ofSeconds(1));
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertRolledOut(client, wanted);
                App app = client.resources(App.class).withName("demo").get();
                assertThat(app.getStatus().getImage().getRunningDigest()).isEqualTo(pushed);
                assertThat(app.getStatus().getHistory().get(0).getToDigest()).isEqualTo(pushed);
                assertThat(app.getStatus().getHistory().get(0).getOutcome()).isEqualTo("Succeeded");
              });
    }
  }

  /** An unsigned request, which the receiver refuses; it only serves the server's first request. */
  private static void warmUp(java.net.URI url) throws Exception {
    var response =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
    assertThat(response.statusCode()).isBetween(400, 499);
  }

  private static App demoApp(String image) {
    App app = Apps.app("demo");
    app.getSpec().setImage(image);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }

  /** The template pins {@code pinned} and every replica runs that revision, available. */
  private static void assertRolledOut(KubernetesClient client, String pinned) {
    Deployment d = client.apps().deployments().withName("demo").get();
    assertThat(d).isNotNull();
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(pinned);
    assertThat(d.getStatus()).isNotNull();
    assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
    int replicas = d.getSpec().getReplicas();
    assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
    assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
  }
}
