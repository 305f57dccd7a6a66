package dev.freshet.cli;

import dev.freshet.receive.notify.NotifyClient;
import dev.freshet.receive.notify.NotifyException;
import java.io.File;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `freshet notify`: what a pipeline runs after it pushed an image. Signs the generic event with the
 * shared secret and sends it; Freshet then asks the registry itself, so the digest given is a hint.
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

  @Option(
      names = "--secret-file",
      required = true,
      description = "File holding the HMAC secret (key hmac of Secret freshet-webhook).")
  File secretFile;

  @Option(
      names = "--image",
      required = true,
      description = "The pushed image, host/repository:tag.")
  String image;

  @Option(names = "--digest", description = "The digest the push reported (sha256:…), if known.")
  String digest;

  @Override
  public Integer call() throws Exception {
    try {
      var delivered =
          new NotifyClient()
              .notify(
                  url,
                  NotifyClient.readSecret(secretFile.toPath()),
                  image,
                  Optional.ofNullable(digest));
      System.out.printf(
          "freshet accepted the notification for %s (HTTP %d)%n", image, delivered.status());
      return 0;
    } catch (NotifyException e) {
      System.err.println("freshet notify: " + e.getMessage());
      return 1;
    }
  }
}
