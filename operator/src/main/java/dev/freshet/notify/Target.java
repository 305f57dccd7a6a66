package dev.freshet.notify;

import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where notifications go: one webhook URL, how its body is written, which kinds it hears, and for
 * the generic webhook the secret its requests are signed with.
 *
 * @param name {@code slack}, {@code teams} or {@code generic}: the Secret's key prefix and the
 *     {@code target} tag of the metrics
 */
public record Target(
    String name, URI url, Format format, Set<NotificationKind> kinds, Optional<Secret> signing) {

  public Target {
    kinds = Set.copyOf(kinds);
  }

  public boolean hears(NotificationKind kind) {
    return kinds.contains(kind);
  }

  /**
   * The headers of one attempt to send {@code body} at {@code epochSeconds}. A signed target gets
   * {@code X-Freshet-Timestamp} and {@code X-Freshet-Signature: sha256=HMAC(secret, timestamp + "."
   * + body)}, exactly what Freshet's own generic receiver checks, so one verifier serves both.
   */
  Map<String, String> headers(byte[] body, long epochSeconds) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", "application/json");
    signing.ifPresent(
        secret -> {
          headers.put(GenericSignature.TIMESTAMP_HEADER, Long.toString(epochSeconds));
          headers.put(
              GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(secret, epochSeconds, body));
        });
    return headers;
  }

  /** Its name and the URL's scheme and host only: a webhook URL's path is its secret. */
  @Override
  public String toString() {
    return "Target[" + name + " " + url.getScheme() + "://" + url.getHost() + "/…]";
  }

  /** Same URL, format, kinds and secret: a reconfiguration can keep the target's queue. */
  boolean sameAs(Target other) {
    return name.equals(other.name)
        && url.equals(other.url)
        && kinds.equals(other.kinds)
        && signing.equals(other.signing);
  }
}
