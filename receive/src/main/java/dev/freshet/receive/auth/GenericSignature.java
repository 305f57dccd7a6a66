package dev.freshet.receive.auth;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The signature of Freshet's generic form, shared by the receiver and {@code freshet notify}:
 * {@code X-Freshet-Timestamp: <unix seconds>} and {@code X-Freshet-Signature: sha256=<hex
 * HMAC-SHA256(secret, timestamp + "." + body)>}.
 *
 * <p>Signing the timestamp with the body bounds a captured request's useful life to the replay
 * window (±5 minutes, for clock skew); within it, each signature is accepted once.
 */
public final class GenericSignature {

  public static final String TIMESTAMP_HEADER = "X-Freshet-Timestamp";
  public static final String SIGNATURE_HEADER = "X-Freshet-Signature";
  public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

  private GenericSignature() {}

  /** The {@code sha256=<hex>} signature of a body sent at the given time. */
  public static String sign(Secret secret, long epochSeconds, byte[] body) {
    return Hmac.signature(secret, signedPrefix(Long.toString(epochSeconds)), body);
  }

  private static byte[] signedPrefix(String timestamp) {
    return (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Checks the headers of a request; the body is covered by the signature, so it is checked first.
   */
  public static final class Verifier {

    private final Secret secret;
    private final Clock clock;
    private final Duration window;
    private final SeenCache seen;

    public Verifier(Secret secret, Clock clock, Duration window, SeenCache seen) {
      this.secret = secret;
      this.clock = clock;
      this.window = window;
      this.seen = seen;
    }

    public void verify(InboundRequest request) throws Refusal {
      String timestamp =
          request
              .header(TIMESTAMP_HEADER)
              .orElseThrow(() -> Refusal.unauthorized("missing " + TIMESTAMP_HEADER + " header"));
      String signature =
          request
              .header(SIGNATURE_HEADER)
              .orElseThrow(() -> Refusal.unauthorized("missing " + SIGNATURE_HEADER + " header"));
      // The signature covers the header text as sent, so only plain digits are accepted: "+1", "01"
      // and
      // "1" would otherwise be three timestamps with one meaning and three signatures.
      if (!timestamp.matches("[1-9][0-9]{0,11}")) {
        throw Refusal.unauthorized(TIMESTAMP_HEADER + " must be Unix seconds");
      }
      if (!Hmac.verify(secret, signature, signedPrefix(timestamp), request.body())) {
        throw Refusal.unauthorized(SIGNATURE_HEADER + " does not match the timestamp and body");
      }
      // Only authentic requests get this far, so a stranger learns nothing from the clock check.
      Instant sent = Instant.ofEpochSecond(Long.parseLong(timestamp));
      if (Duration.between(sent, clock.instant()).abs().compareTo(window) > 0) {
        throw Refusal.unauthorized(
            TIMESTAMP_HEADER
                + " is outside the "
                + window.toMinutes()
                + "-minute replay window (check the sender's clock)");
      }
      if (!seen.firstSighting(signature.trim().toLowerCase(Locale.ROOT))) {
        throw Refusal.unauthorized("this signature was already used (replayed request)");
      }
    }
  }
}
