package dev.freshet.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.cli.Main;
import dev.freshet.it.Apps;
import dev.freshet.testbed.LocalOidcIssuer;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A pipeline proves who it is with its CI job's OIDC token instead of a shared secret: Freshet
 * (operator and webhook endpoint in this JVM) trusts a local issuer on loopback, shaped like GitHub
 * Actions' ({@link LocalOidcIssuer}), through key {@code oidc} of Secret freshet-webhook — and no
 * {@code hmac} key at all. A token whose claims a rule allows for the App's image rolls the App, to
 * the digest the registry confirms; every other token is refused with its reason and leaves the App
 * alone. The App's poll interval is an hour, so only a notification can move it.
 */
@WithTestbed
class OidcNotifyIT {
  private static final String AUDIENCE = "freshet";

  private final LocalOidcIssuer issuer = LocalOidcIssuer.start();
  private FreshetWithWebhooks freshet;
  private PushedImage running;
  private PushedImage pushed;

  @BeforeEach
  void freshetTrustingTheLocalIssuer(Testbed testbed, TestNamespace ns, KubernetesClient client)
      throws Exception {
    String repository = "oidc/app-" + ns.name();
    running = testbed.registry().pusher().push(repository, "dev");
    String policy =
        """
        issuers:
          - issuer: %s
            audience: %s
            rules:
              - claims: {repository: org/app, ref: refs/heads/main}
                images: ["%s/oidc/*:dev"]
        """
            .formatted(issuer.url(), AUDIENCE, testbed.registry().host());
    freshet = FreshetWithWebhooks.start(client, ns.name(), Map.of("oidc", policy));
    freshet.listen(new InetSocketAddress("127.0.0.1", 0), "/hooks/generic", hint -> {});
    client.resource(app(running.reference())).create();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> running.pinnedReference().equals(DeploymentImages.image(client, "app")));
    pushed = testbed.registry().pusher().push(repository, "dev");
  }

  @AfterEach
  void stop() {
    if (freshet != null) {
      freshet.close();
    }
    issuer.close();
  }

  @Test
  void aPipelinesNotifyWithItsJobTokenRollsTheAppToTheRegistrysDigest(
      KubernetesClient client, @TempDir Path work) throws Exception {
    Path warmUp = Files.writeString(work.resolve("warm-up"), pipelineToken(c -> c.audience("x")));
    Path tokenFile = Files.writeString(work.resolve("token"), pipelineToken(c -> {}));
    // As in an operator that has run for a while, the issuer's keys are cached and the endpoint
    // has answered before; and the CLI's classes are loaded, as a pipeline's JVM has them before
    // it sends. The figure is the notification's path, not a first fetch or class loading.
    assertThat(notify(warmUp)).isEqualTo(1);

    var patched = DeploymentImages.whenPinned(client, "app", pushed.pinnedReference());
    CompletableFuture<Instant> accepted = whenAccepted();
    Instant started = Instant.now();
    int exit = notify(tokenFile);

    assertThat(exit).isZero();
    Instant at = patched.get(30, TimeUnit.SECONDS);
    Duration latency = Duration.between(accepted.get(5, TimeUnit.SECONDS), at);
    System.out.printf(
        "oidc notify accepted -> App's Deployment patched: %d ms (from the CLI's start: %d ms)%n",
        latency.toMillis(), Duration.between(started, at).toMillis());
    assertThat(latency).isLessThan(Duration.ofSeconds(1));
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .resources(App.class)
                            .withName("app")
                            .get()
                            .getStatus()
                            .getImage()
                            .getRunningDigest())
                    .isEqualTo(pushed.digest()));
  }

  @Test
  void everyRefusedTokenIsAnsweredWithItsReasonCountedAndLeavesTheAppAlone(KubernetesClient client)
      throws Exception {
    RSAKey published = issuer.signingKey();
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(published.getKeyID()).generate();
    SignedJWT hmacWithPublicKey =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(published.getKeyID()).build(),
            claims(c -> {}));
    hmacWithPublicKey.sign(new MACSigner(published.toPublicJWK().toRSAPublicKey().getEncoded()));
    Map<String, String> tokens = new LinkedHashMap<>();
    tokens.put("image-not-allowed", pipelineToken(c -> c.claim("ref", "refs/heads/feature")));
    tokens.put(
        "token-expired",
        pipelineToken(
            c -> c.expirationTime(Date.from(Instant.now().minus(Duration.ofMinutes(5))))));
    tokens.put("token-audience", pipelineToken(c -> c.audience("someone-else")));
    tokens.put(
        "token-issuer",
        pipelineToken(c -> c.issuer("https://token.actions.githubusercontent.com")));
    tokens.put("token-algorithm", new PlainJWT(claims(c -> {})).serialize());
    tokens.put("token-algorithm ", hmacWithPublicKey.serialize());
    tokens.put("token-signature", LocalOidcIssuer.sign(claims(c -> {}), impostor));
    tokens.put("token-malformed", "not.a-jwt");
    var changed = DeploymentImages.whenChangedFrom(client, "app", running.pinnedReference());

    for (var entry : tokens.entrySet()) {
      String reason = entry.getKey().trim();
      HttpResponse<String> answer = post(entry.getValue());
      assertThat(answer.statusCode())
          .as("%s: %s", reason, answer.body())
          .isEqualTo(reason.equals("image-not-allowed") ? 403 : 401);
      assertThat(answer.body()).as(reason).contains("[" + reason + "]");
    }

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !changed.isDone());
    assertThat(DeploymentImages.image(client, "app")).isEqualTo(running.pinnedReference());
    var refused = freshet.meters().find(WebhookEndpoint.REFUSED).tags("source", "generic");
    assertThat(refused.tags("reason", "token-algorithm").counter().count()).isEqualTo(2.0);
    for (String reason :
        new String[] {
          "image-not-allowed",
          "token-expired",
          "token-audience",
          "token-issuer",
          "token-signature",
          "token-malformed"
        }) {
      assertThat(
              freshet
                  .meters()
                  .find(WebhookEndpoint.REFUSED)
                  .tags("source", "generic", "reason", reason)
                  .counter()
                  .count())
          .as(reason)
          .isEqualTo(1.0);
    }
    // The refusals were the only thing in the way: the same App rolls on a token it allows.
    assertThat(post(pipelineToken(c -> {})).statusCode()).isEqualTo(202);
    assertThat(changed.get(10, TimeUnit.SECONDS).image()).isEqualTo(pushed.pinnedReference());
  }

  /**
   * Completes with the moment the endpoint counted an accepted request, which it does before it
   * answers: the token verified and the image allowed. Measured from there, the figure is the
   * notification's path, not the CLI's start in this JVM.
   */
  private CompletableFuture<Instant> whenAccepted() {
    return CompletableFuture.supplyAsync(
        () -> {
          await()
              .pollDelay(Duration.ZERO)
              .pollInterval(Duration.ofMillis(2))
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      !freshet
                          .meters()
                          .find("freshet_webhook_requests_total")
                          .tags("source", "generic", "outcome", "accepted")
                          .counters()
                          .isEmpty());
          return Instant.now();
        });
  }

  /** {@code freshet notify --oidc-token-file}, run as the CLI runs it; its exit code. */
  private int notify(Path tokenFile) {
    return new CommandLine(new Main())
        .execute(
            "notify",
            "--url",
            freshet.url("/hooks/generic").toString(),
            "--oidc-token-file",
            tokenFile.toString(),
            "--image",
            pushed.reference(),
            "--digest",
            pushed.digest());
  }

  private JWTClaimsSet claims(Consumer<JWTClaimsSet.Builder> more) {
    return issuer.claims(
        AUDIENCE,
        c -> {
          c.claim("repository", "org/app").claim("ref", "refs/heads/main");
          more.accept(c);
        });
  }

  private String pipelineToken(Consumer<JWTClaimsSet.Builder> more) {
    return LocalOidcIssuer.sign(claims(more), issuer.signingKey());
  }

  /**
   * The generic form for the pushed image with {@code token}, as {@code freshet notify} sends it.
   */
  private HttpResponse<String> post(String token) throws Exception {
    String body =
        "{\"image\":\""
            + pushed.reference().substring(0, pushed.reference().lastIndexOf(':'))
            + "\",\"tag\":\"dev\",\"digest\":\""
            + pushed.digest()
            + "\"}";
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(freshet.url("/hooks/generic").toString()))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static App app(String image) {
    App app = Apps.app("app");
    app.getSpec().setImage(image);
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }
}
