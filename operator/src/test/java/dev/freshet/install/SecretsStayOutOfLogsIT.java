package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.app.api.App;
import dev.freshet.app.api.UpdateSpec;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Apps;
import dev.freshet.it.OperatorProcess;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.notify.NotifyException;
import dev.freshet.testbed.LocalOidcIssuer;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run of the operator at DEBUG through every path that handles a secret writes none of them to
 * its log, neither as they are nor in base64. The operator runs as its own process with the shipped
 * logging configuration ({@code FRESHET_LOG_LEVEL=DEBUG}), as the installed ServiceAccount with a
 * bearer token (install.yaml's RBAC), and: pulls with basic-auth credentials from a pull secret
 * (the testbed's htpasswd registry) and is refused with wrong ones, reads the webhook Secret and
 * takes a signed notification and refuses a forged one, then a pipeline's OIDC token and refuses a
 * token for another audience, and reads the notifications Secret and sends a signed notification
 * and a Slack one to a URL whose path is its secret, which refuses it. Every path is shown to have
 * run (an App rolled by the webhook, one refused by the registry, both notifications received), so
 * a clean log is not one that said nothing.
 */
@WithTestbed
class SecretsStayOutOfLogsIT {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final String WEBHOOK_SECRET = "freshet-webhook";
  private static final String NOTIFICATIONS_SECRET = "freshet-notifications";

  @Test
  void aDebugRunThroughEveryPathThatHandlesASecretLogsNone(
      KubernetesClient admin, TestNamespace ns, Testbed testbed, @TempDir Path work)
      throws Exception {
    Instant begun = Instant.now();
    AppCrd.install(testbed.client());
    InstallManifest.applyIdentity(admin);
    Registry registry = testbed.authRegistry();
    String token = InstallManifest.token(admin, InstallManifest.SERVICE_ACCOUNT);
    String hmac = "webhook-" + random();
    String wrongPassword = "wrong-" + random();
    String notificationKey = "notify-" + random();
    String slackPath = "/services/T0000/B0000/" + random();
    var wrong = new Registry(registry.host(), registry.username(), Optional.of(wrongPassword));

    Map<String, String> secrets = new LinkedHashMap<>();
    secrets.put("the registry's password", registry.password().orElseThrow());
    secrets.put("a wrong registry password", wrongPassword);
    secrets.put("the ServiceAccount's token", token);
    // A token cut short in a log line still gives its signature away.
    secrets.put("the token's signature", token.substring(token.lastIndexOf('.') + 1));
    secrets.put("the webhook HMAC key", hmac);
    secrets.put("the notifications' HMAC key", notificationKey);
    secrets.put("the Slack URL's secret path", slackPath.substring(slackPath.lastIndexOf('/') + 1));

    var pullSecret = registry.pullSecret("regcred");
    var wrongSecret = wrong.pullSecret("wrongcred");
    admin.resource(pullSecret).create();
    admin.resource(wrongSecret).create();
    // As stored: the basic-auth pair in base64, inside a dockerconfigjson in base64.
    secrets.put("the pull secret as stored", pullSecret.getData().get(".dockerconfigjson"));
    secrets.put("the wrong pull secret as stored", wrongSecret.getData().get(".dockerconfigjson"));
    secrets.put(
        "the registry's basic-auth pair",
        registry.username().orElseThrow() + ":" + registry.password().orElseThrow());

    var notified = new AtomicInteger();
    var slackRefused = new AtomicInteger();
    HttpServer receivers =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receivers.createContext(
        "/generic",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          notified.incrementAndGet();
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receivers.createContext(
        "/services",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          slackRefused.incrementAndGet();
          // Not retried: the refusal, with the target's name, is logged at once.
          exchange.sendResponseHeaders(400, -1);
          exchange.close();
        });
    receivers.start();
    String receiversBase = "http://127.0.0.1:" + receivers.getAddress().getPort();
    applyInOperatorNamespace(admin, WEBHOOK_SECRET, Map.of("hmac", hmac));
    applyInOperatorNamespace(
        admin,
        NOTIFICATIONS_SECRET,
        Map.of(
            "generic.url", receiversBase + "/generic",
            "generic.secret", notificationKey,
            "slack.url", receiversBase + slackPath));

    Path log = Path.of("target", "operator-secrets-" + ns.name() + ".log");
    Files.deleteIfExists(log);
    int receiverPort = freePort();
    Instant setUp = Instant.now();
    try (var operator =
        OperatorProcess.start(
            log,
            List.of("-DFRESHET_LOG_LEVEL=DEBUG"),
            List.of(
                "--kubeconfig=" + kubeconfig(testbed.config(), token, ns, work),
                "--namespace=" + ns.name(),
                "--no-leader-election",
                "--receiver-addr=127.0.0.1:" + receiverPort,
                "--webhook-namespace=" + InstallManifest.NAMESPACE,
                "--notifications-namespace=" + InstallManifest.NAMESPACE))) {
      await().atMost(Duration.ofSeconds(120)).until(operator::isReady);
      Instant ready = Instant.now();

      PushedImage first = registry.pusher().push("private/secrets-" + ns.name(), "dev");
      admin.resource(app("web", first, "regcred")).create();
      admin.resource(app("denied", first, "wrongcred")).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(templateImage(admin, "web")).isEqualTo(first.pinnedReference());
                assertThat(upToDate(admin, "denied").getReason()).isEqualTo("RegistryUnauthorized");
              });

      PushedImage second = registry.pusher().push("private/secrets-" + ns.name(), "dev");
      URI generic = URI.create("http://127.0.0.1:" + receiverPort + "/hooks/generic");
      var client = new NotifyClient(HTTP, Clock.systemUTC(), Duration.ofSeconds(10), List.of());
      // The receivers read their Secret through a watch: until they have, the route answers 404.
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThatThrownBy(
                          () ->
                              client.notify(
                                  generic,
                                  Secret.of("forged-" + hmac),
                                  second.reference(),
                                  Optional.of(second.digest())))
                      .isInstanceOf(NotifyException.class)
                      .hasMessageContaining("401"));
      client.notify(generic, Secret.of(hmac), second.reference(), Optional.of(second.digest()));
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(templateImage(admin, "web")).isEqualTo(second.pinnedReference());
                assertThat(notified.get()).isPositive();
                assertThat(slackRefused.get()).isPositive();
              });

      // The generic form trusts an HMAC key or pipelines' OIDC tokens, not both: now the tokens.
      try (var issuer = LocalOidcIssuer.start()) {
        String policy =
            """
            issuers:
              - issuer: %s
                audience: freshet
                rules:
                  - claims: {repository: org/app, ref: refs/heads/main}
                    images: ["%s/private/*:dev"]
            """
                .formatted(issuer.url(), registry.host());
        admin
            .secrets()
            .inNamespace(InstallManifest.NAMESPACE)
            .withName(WEBHOOK_SECRET)
            .edit(
                s ->
                    new SecretBuilder(s)
                        .withData(Map.of("oidc", base64(policy)))
                        .withStringData(null)
                        .build());
        Consumer<JWTClaimsSet.Builder> job =
            c -> c.claim("repository", "org/app").claim("ref", "refs/heads/main");
        String jobToken = issuer.token("freshet", job);
        String strangersToken = issuer.token("someone-else", job);
        secrets.put("a pipeline's OIDC token", jobToken);
        secrets.put("a refused OIDC token", strangersToken);
        // Until the receivers have read the changed Secret, they refuse a token.
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .untilAsserted(
                () ->
                    assertThat(
                            client
                                .notifyWithToken(
                                    generic,
                                    jobToken,
                                    second.reference(),
                                    Optional.of(second.digest()))
                                .status())
                        .isBetween(200, 299));
        assertThatThrownBy(
                () ->
                    client.notifyWithToken(
                        generic, strangersToken, second.reference(), Optional.of(second.digest())))
            .isInstanceOf(NotifyException.class)
            .hasMessageContaining("401");
      }
      Instant exercised = Instant.now();
      operator.close();

      String written = Files.readString(log);
      List<String> leaks = new ArrayList<>();
      secrets.forEach(
          (what, value) ->
              forms(value)
                  .forEach(
                      (form, text) -> {
                        if (written.contains(text)) {
                          leaks.add(what + " (" + form + ") at: " + around(written, text));
                        }
                      }));
      long debugLines = written.lines().filter(l -> l.contains("\"level\":\"DEBUG\"")).count();
      System.out.printf(
          "secrets in logs: %d secret values in %d forms looked for in %d log lines (%d at"
              + " DEBUG, %d bytes), %d found; set up %d ms, operator ready %d ms, paths run %d"
              + " ms%n",
          secrets.size(),
          secrets.values().stream().mapToInt(v -> forms(v).size()).sum(),
          written.lines().count(),
          debugLines,
          written.length(),
          leaks.size(),
          Duration.between(begun, setUp).toMillis(),
          Duration.between(setUp, ready).toMillis(),
          Duration.between(ready, exercised).toMillis());
      assertThat(debugLines).as("the run logged at DEBUG").isPositive();
      assertThat(written).as("the log names what it did").contains(registry.host());
      assertThat(leaks).as("secrets in %s", log).isEmpty();
    } finally {
      receivers.stop(0);
      admin
          .secrets()
          .inNamespace(InstallManifest.NAMESPACE)
          .withName(NOTIFICATIONS_SECRET)
          .delete();
      admin.secrets().inNamespace(InstallManifest.NAMESPACE).withName(WEBHOOK_SECRET).delete();
    }
  }

  /** A value as it is, and in the base64 forms a log line could carry it in. */
  private static Map<String, String> forms(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    Map<String, String> forms = new LinkedHashMap<>();
    forms.put("as it is", value);
    forms.put("base64", Base64.getEncoder().encodeToString(bytes));
    forms.put("base64 without padding", Base64.getEncoder().withoutPadding().encodeToString(bytes));
    forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
    // The JSON log escapes '/' (which base64 and URLs hold) as "\/".
    new LinkedHashMap<>(forms)
        .forEach(
            (form, text) -> {
              if (text.contains("/")) {
                forms.put(form + ", JSON-escaped", text.replace("/", "\\/"));
              }
            });
    return forms;
  }

  private static String around(String text, String found) {
    int at = text.indexOf(found);
    int lineStart = text.lastIndexOf('\n', at) + 1;
    int lineEnd = text.indexOf('\n', at);
    String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
    return line.length() > 300 ? line.substring(0, 300) + "…" : line;
  }

  private static void applyInOperatorNamespace(
      KubernetesClient admin, String name, Map<String, String> data) {
    admin
        .secrets()
        .inNamespace(InstallManifest.NAMESPACE)
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(InstallManifest.NAMESPACE)
                .endMetadata()
                .withStringData(data)
                .build())
        .forceConflicts()
        .serverSideApply();
  }

  /** A kubeconfig that holds the ServiceAccount's token, as a person would hand one out. */
  private static Path kubeconfig(Config cluster, String token, TestNamespace ns, Path work)
      throws IOException {
    String authority =
        cluster.getCaCertData() != null
            ? "certificate-authority-data: " + cluster.getCaCertData()
            : "certificate-authority: " + cluster.getCaCertFile();
    String config =
        """
        apiVersion: v1
        kind: Config
        clusters:
          - name: testbed
            cluster:
              server: %s
              %s
        users:
          - name: freshet
            user:
              token: %s
        contexts:
          - name: freshet
            context: {cluster: testbed, user: freshet, namespace: %s}
        current-context: freshet
        """
            .formatted(cluster.getMasterUrl(), authority, token, ns.name());
    return Files.writeString(work.resolve("kubeconfig"), config);
  }

  private static App app(String name, PushedImage image, String pullSecret) {
    App app = Apps.app(name);
    app.getSpec().setImage(image.reference());
    app.getSpec().setReplicas(1);
    app.getSpec().setImagePullSecrets(List.of(new LocalObjectReference(pullSecret)));
    var update = new UpdateSpec();
    update.setPolicy(UpdateSpec.Policy.DIGEST);
    // Only the webhook moves it within the test.
    update.setInterval("1h");
    app.getSpec().setUpdate(update);
    return app;
  }

  private static Condition upToDate(KubernetesClient client, String app) {
    App current = client.resources(App.class).withName(app).get();
    assertThat(current.getStatus()).isNotNull();
    return current.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals("UpToDate"))
        .findFirst()
        .orElseThrow();
  }

  private static String templateImage(KubernetesClient client, String deployment) {
    Deployment d = client.apps().deployments().withName(deployment).get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String random() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
