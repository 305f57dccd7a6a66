package dev.freshet.receive.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The generic form's signature headers ({@code X-Freshet-Timestamp}, {@code X-Freshet-Signature})
 * and the {@code sha256=<hex>} form GitHub shares: whatever a sender puts in them, the request is
 * refused with a 401 unless it carries the signature of its own timestamp and body, and a signed
 * request is accepted once, then refused as a replay. In {@code mvn test} it replays the seeds in
 * GenericSignatureFuzzTestInputs; {@code fuzz/run.sh} fuzzes.
 */
class GenericSignatureFuzzTest {
  private static final Secret SECRET = Secret.of("fuzz-secret");
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final long NOW_SECONDS = NOW.getEpochSecond();

  private static GenericSignature.Verifier verifier() {
    return new GenericSignature.Verifier(
        SECRET,
        Clock.fixed(NOW, ZoneOffset.UTC),
        GenericSignature.REPLAY_WINDOW,
        new SeenCache(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(11), 1_000));
  }

  @FuzzTest(maxDuration = "30s")
  void onlyTheSignatureOfTheTimestampAndBodyIsAcceptedAndOnlyOnce(FuzzedDataProvider data) {
    String timestamp = data.consumeString(24);
    // Mostly the shape of a signature, so the fuzzer explores the hex check rather than the prefix.
    String signature =
        data.consumeBoolean() ? Hmac.PREFIX + data.consumeString(70) : data.consumeString(80);
    long skew = data.consumeLong(-700, 700);
    byte[] body = data.consumeRemainingAsBytes();
    GenericSignature.Verifier verifier = verifier();

    Refusal refused =
        catchThrowableOfType(
            Refusal.class,
            () ->
                verifier.verify(
                    InboundRequest.post(
                        "/",
                        body,
                        GenericSignature.TIMESTAMP_HEADER,
                        timestamp,
                        GenericSignature.SIGNATURE_HEADER,
                        signature)));
    boolean genuine =
        timestamp.matches("[1-9][0-9]{0,11}")
            && sameSignature(
                signature, GenericSignature.sign(SECRET, Long.parseLong(timestamp), body))
            && Math.abs(Long.parseLong(timestamp) - NOW_SECONDS) <= 300;
    if (genuine) {
      assertThat(refused).isNull();
    } else {
      assertThat(refused).as("accepted %s %s", timestamp, signature).isNotNull();
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.reason()).isNotBlank();
    }

    // Signed as freshet notify signs: accepted once within the window, then refused as a replay.
    long sent = NOW_SECONDS + skew;
    InboundRequest signed =
        InboundRequest.post(
            "/",
            body,
            GenericSignature.TIMESTAMP_HEADER,
            Long.toString(sent),
            GenericSignature.SIGNATURE_HEADER,
            GenericSignature.sign(SECRET, sent, body));
    if (Math.abs(skew) <= 300) {
      assertThatCode(() -> verifier.verify(signed)).doesNotThrowAnyException();
      assertThat(catchThrowableOfType(Refusal.class, () -> verifier.verify(signed)).reason())
          .contains("replayed");
    } else {
      assertThat(catchThrowableOfType(Refusal.class, () -> verifier.verify(signed)).reason())
          .contains("replay window");
    }
  }

  /** {@code Hmac.verify} never throws, whatever the header holds. */
  @FuzzTest(maxDuration = "30s")
  void aPresentedSignatureMatchesOrNotButNeverThrows(FuzzedDataProvider data) {
    String presented = Hmac.PREFIX + data.consumeString(64);
    byte[] body = data.consumeRemainingAsBytes();

    boolean matches = Hmac.verify(SECRET, presented, body);

    assertThat(matches).isEqualTo(sameSignature(presented, Hmac.signature(SECRET, body)));
  }

  /** The header names the expected {@code sha256=<hex>}: any case, spaces around the hex. */
  private static boolean sameSignature(String presented, String expected) {
    return presented.toLowerCase(java.util.Locale.ROOT).startsWith(Hmac.PREFIX)
        && presented
            .substring(Hmac.PREFIX.length())
            .trim()
            .equalsIgnoreCase(expected.substring(Hmac.PREFIX.length()));
  }
}
