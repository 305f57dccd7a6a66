package dev.freshet.receive.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.auth.oidc.OidcPolicy;
import dev.freshet.receive.auth.oidc.PipelineTokens;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.Routes;
import dev.freshet.receive.sources.GenericReceiver;
import dev.freshet.testbed.LocalOidcIssuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freshet notify} with the CI job's OIDC token: where the token is found, and that the real
 * receiver accepts what the client sends and refuses, with its reason, what the policy does not
 * allow.
 */
class CiTokenTest {

  private final LocalOidcIssuer issuer = LocalOidcIssuer.start();
  private final List<ImageHint> sunk = new CopyOnWriteArrayList<>();
  private final NotifyClient client =
      new NotifyClient(
          HttpClient.newHttpClient(), Clock.systemUTC(), Duration.ofSeconds(10), List.of());
  private HttpServer gitHub;
  private ReceiverServer server;

  @AfterEach
  void stop() {
    issuer.close();
    if (gitHub != null) {
      gitHub.stop(0);
    }
    if (server != null) {
      server.close();
    }
  }

  /**
   * A stand-in for GitHub Actions' token service, which only runs inside GitHub's runners: it
   * answers as documented (https://docs.github.com/en/actions/reference/security/oidc, the {@code
   * ACTIONS_ID_TOKEN_REQUEST_URL} request) and records what it was asked.
   */
  private URI gitHubTokenService(String requestToken, AtomicReference<String> asked)
      throws IOException {
    gitHub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    gitHub.createContext(
        "/_apis/token",
        exchange -> {
          asked.set(exchange.getRequestURI().getRawQuery());
          boolean authorized =
              ("bearer " + requestToken)
                  .equals(exchange.getRequestHeaders().getFirst("Authorization"));
          String audience =
              exchange.getRequestURI().getQuery().replaceAll(".*audience=([^&]*).*", "$1");
          byte[] body =
              (authorized
                      ? "{\"count\":1,\"value\":\"" + issuer.token(audience, c -> {}) + "\"}"
                      : "{\"message\":\"bad credentials\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    gitHub.start();
    return URI.create(
        "http://127.0.0.1:" + gitHub.getAddress().getPort() + "/_apis/token?api-version=2.0");
  }

  @Test
  void onGitHubActionsTheTokenIsRequestedForTheAudience() throws Exception {
    AtomicReference<String> asked = new AtomicReference<>();
    URI service = gitHubTokenService("runner-request-token", asked);

    String token =
        CiToken.fromEnvironment(
            Map.of(
                CiToken.GITHUB_URL,
                service.toString(),
                CiToken.GITHUB_REQUEST_TOKEN,
                "runner-request-token"),
            "https://freshet.example.com",
            CiToken.DEFAULT_ENV,
            HttpClient.newHttpClient());

    assertThat(asked.get()).isEqualTo("api-version=2.0&audience=https%3A%2F%2Ffreshet.example.com");
    assertThat(com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getAudience())
        .containsExactly("https://freshet.example.com");
  }

  @Test
  void aRefusalOfGitHubsTokenServiceIsReported() throws Exception {
    URI service = gitHubTokenService("the-real-one", new AtomicReference<>());

    assertThatThrownBy(
            () ->
                CiToken.fromEnvironment(
                    Map.of(
                        CiToken.GITHUB_URL,
                        service.toString(),
                        CiToken.GITHUB_REQUEST_TOKEN,
                        "a-stale-one"),
                    CiToken.DEFAULT_AUDIENCE,
                    CiToken.DEFAULT_ENV,
                    HttpClient.newHttpClient()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("401")
        .hasMessageContaining("bad credentials");
  }

  @Test
  void onGitLabTheTokenIsTheIdTokensVariable() throws Exception {
    String token = issuer.token("freshet", c -> {});
    assertThat(
            CiToken.fromEnvironment(
                Map.of("FRESHET_ID_TOKEN", token + "\n"), "freshet", CiToken.DEFAULT_ENV, null))
        .isEqualTo(token);
    assertThat(CiToken.fromEnvironment(Map.of("MY_TOKEN", token), "freshet", "MY_TOKEN", null))
        .isEqualTo(token);
  }

  @Test
  void withoutATokenTheMessageSaysHowToGetOne() {
    assertThatThrownBy(
            () -> CiToken.fromEnvironment(Map.of(), "freshet", CiToken.DEFAULT_ENV, null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("id-token: write")
        .hasMessageContaining("id_tokens: FRESHET_ID_TOKEN");
  }

  @Test
  void somethingThatIsNoJwtIsNotSent() {
    assertThatThrownBy(
            () ->
                client.notifyWithToken(
                    URI.create("http://127.0.0.1:1/hooks/generic"),
                    "hmac-secret-by-mistake",
                    "registry.example.com/org/app:dev",
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a JWT");
  }

  @Test
  void theReceiverAcceptsTheTokenForAnAllowedImageAndSaysWhyItRefusesAnother(@TempDir Path dir)
      throws Exception {
    String policy =
        """
        issuers:
          - issuer: %s
            audience: freshet
            rules:
              - claims: {repository: org/app}
                images: ["registry.example.com/org/app:*"]
        """
            .formatted(issuer.url());
    server =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    Optional.empty(),
                    Optional.of(new PipelineTokens(OidcPolicy.parse(policy), Clock.systemUTC())),
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 100)))
            .sink(sunk::add)
            .build()
            .start();
    URI url = URI.create("http://127.0.0.1:" + server.port() + Routes.GENERIC);
    Path tokenFile =
        Files.writeString(
            dir.resolve("token"), issuer.token("freshet", c -> c.claim("repository", "org/app")));
    String token = CiToken.fromFile(tokenFile);

    var delivered =
        client.notifyWithToken(url, token, "registry.example.com/org/app:dev", Optional.empty());

    assertThat(delivered.status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(5)).until(() -> !sunk.isEmpty());
    assertThat(sunk).singleElement().satisfies(h -> assertThat(h.tag()).isEqualTo("dev"));
    assertThatThrownBy(
            () ->
                client.notifyWithToken(
                    url, token, "registry.example.com/org/other:dev", Optional.empty()))
        .isInstanceOf(NotifyException.class)
        .hasMessageContaining("403")
        .hasMessageContaining("[image-not-allowed]");
  }
}
