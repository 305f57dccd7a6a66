package dev.freshet.cli;

import dev.freshet.receive.notify.CiToken;
import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.notify.NotifyException;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `freshet notify`: what a pipeline runs after it pushed an image. Proves who sends it — the CI
 * job's OIDC token, or a signature with the shared secret — and sends it; Freshet then asks the
 * registry itself, so the digest given is a hint.
 */
@Command(
    name = "notify",
    mixinStandardHelpOptions = true,
    description = "Tells Freshet that an image was pushed, so it re-checks the registry at once.")
public class NotifyCommand implements Callable<Integer> {

  @Option(
      names = "--url",
      required = true,
      description = "The generic receiver, e.g. https://freshet.example.com:9443/hooks/generic.")
  URI url;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Proof proof;

  /** Exactly one way to prove who sends the notification. */
  static class Proof {
    @Option(
        names = "--secret-file",
        description = "File holding the HMAC secret (key hmac of Secret freshet-webhook).")
    File secretFile;

    @Option(
        names = "--oidc-token-file",
        description = "File holding the CI job's OIDC token, sent as Authorization: Bearer.")
    File tokenFile;

    @Option(
        names = "--oidc",
        description =
            "Take the CI job's OIDC token from the environment: GitHub Actions' token service"
                + " (ACTIONS_ID_TOKEN_REQUEST_URL, needs 'permissions: id-token: write'), else"
                + " the variable named by --oidc-env (GitLab id_tokens).")
    boolean fromEnvironment;
  }

  @Option(
      names = "--audience",
      defaultValue = CiToken.DEFAULT_AUDIENCE,
      description =
          "The audience to request from GitHub Actions with --oidc. Default: ${DEFAULT-VALUE}.")
  String audience;

  @Option(
      names = "--oidc-env",
      defaultValue = CiToken.DEFAULT_ENV,
      description =
          "The variable holding the token with --oidc (GitLab id_tokens). Default: ${DEFAULT-VALUE}.")
  String tokenVariable;

  @Option(
      names = "--image",
      required = true,
      description = "The pushed image, host/repository:tag.")
  String image;

  @Option(names = "--digest", description = "The digest the push reported (sha256:…), if known.")
  String digest;

  /** The environment {@code --oidc} reads; tests give their own. */
  Map<String, String> environment = System.getenv();

  @Override
  public Integer call() throws Exception {
    try {
      var client = new NotifyClient();
      Optional<String> reported = Optional.ofNullable(digest);
      NotifyClient.Delivered delivered;
      if (proof.secretFile != null) {
        delivered =
            client.notify(url, NotifyClient.readSecret(proof.secretFile.toPath()), image, reported);
      } else {
        String token =
            proof.tokenFile != null
                ? CiToken.fromFile(proof.tokenFile.toPath())
                : CiToken.fromEnvironment(
                    environment,
                    audience,
                    tokenVariable,
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        delivered = client.notifyWithToken(url, token, image, reported);
      }
      System.out.printf(
          "freshet accepted the notification for %s (HTTP %d)%n", image, delivered.status());
      return 0;
    } catch (NotifyException | java.io.IOException | IllegalArgumentException e) {
      // A refusal, an unreachable receiver, a missing token or a bad image: one line, not a trace.
      System.err.println("freshet notify: " + e.getMessage());
      return 1;
    }
  }
}
