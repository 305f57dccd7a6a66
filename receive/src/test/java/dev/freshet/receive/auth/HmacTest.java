package dev.freshet.receive.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HmacTest {

  private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

  /** The test vector of GitHub's "Validating webhook deliveries". */
  @Test
  void matchesGitHubsPublishedTestVector() {
    Secret secret = Secret.of("It's a Secret to Everybody");
    String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    assertThat(Hmac.signature(secret, HELLO)).isEqualTo(expected);
    assertThat(Hmac.verify(secret, expected, HELLO)).isTrue();
  }

  @Test
  void refusesOtherSecretsBodiesAndShapes() {
    Secret secret = Secret.of("It's a Secret to Everybody");
    String good = Hmac.signature(secret, HELLO);

    assertThat(Hmac.verify(Secret.of("another"), good, HELLO)).isFalse();
    assertThat(Hmac.verify(secret, good, "Hello, World?".getBytes(StandardCharsets.UTF_8)))
        .isFalse();
    assertThat(Hmac.verify(secret, good.substring("sha256=".length()), HELLO)).isFalse();
    assertThat(Hmac.verify(secret, "sha256=zz" + good.substring(9), HELLO)).isFalse();
    assertThat(Hmac.verify(secret, "sha1=" + good.substring(7), HELLO)).isFalse();
    assertThat(Hmac.verify(secret, null, HELLO)).isFalse();
  }

  @Test
  void secretsAreNeverPrinted() {
    assertThat(Secret.of("hunter2").toString()).doesNotContain("hunter2");
  }

  /**
   * Found by fuzzing: a digit of another script (U+06F8, which Character.digit reads as 8) made
   * verify throw from HexFormat instead of answering no.
   */
  @Test
  void aSignatureWithDigitsOfAnotherScriptDoesNotMatchAndDoesNotThrow() {
    Secret secret = Secret.of("It's a Secret to Everybody");
    String good = Hmac.signature(secret, HELLO);
    String otherScript = good.substring(0, 10) + "\u06f8" + good.substring(11);

    assertThat(Hmac.verify(secret, otherScript, HELLO)).isFalse();
  }
}
