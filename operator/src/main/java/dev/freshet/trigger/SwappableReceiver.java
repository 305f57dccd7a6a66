package dev.freshet.trigger;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.Verdict;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A route whose receiver follows the webhook Secret: when the Secret changes the receiver is
 * replaced without restarting the server, and while the Secret lacks this source's key every
 * request is refused, so no source is ever open without authentication.
 */
final class SwappableReceiver implements Receiver {
  private final String source;
  private final String keys;
  private final String secretName;
  private final AtomicReference<Optional<Receiver>> current =
      new AtomicReference<>(Optional.empty());

  /**
   * @param keys the keys of the Secret that enable the source, in words
   * @param secretName the Secret they are read from
   */
  SwappableReceiver(String source, String keys, String secretName) {
    this.source = source;
    this.keys = keys;
    this.secretName = secretName;
  }

  void set(Optional<Receiver> receiver) {
    current.set(receiver);
  }

  boolean isConfigured() {
    return current.get().isPresent();
  }

  @Override
  public String source() {
    return source;
  }

  @Override
  public Verdict receive(InboundRequest request) {
    return current
        .get()
        .map(receiver -> receiver.receive(request))
        .orElseGet(
            () ->
                new Verdict.Refused(
                    401,
                    source
                        + " webhooks are not enabled: key "
                        + keys
                        + " of Secret "
                        + secretName
                        + " is not set or not usable"));
  }
}
