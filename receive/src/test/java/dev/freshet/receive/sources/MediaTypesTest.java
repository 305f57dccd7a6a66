package dev.freshet.receive.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MediaTypesTest {

  /**
   * Found by fuzzing: a Content-Type with control characters was repeated as sent in the refusal,
   * which is answered and logged. It is shortened and printable, as other sender text is.
   */
  @Test
  void aRefusedContentTypeIsRepeatedShortAndPrintable() {
    String sent = "!\u001b\n!" + "x".repeat(500);

    Refusal refusal =
        catchThrowableOfType(
            Refusal.class,
            () ->
                MediaTypes.require(
                    InboundRequest.post("/", new byte[0], "Content-Type", sent),
                    Set.of(MediaTypes.JSON)));

    assertThat(refusal.status()).isEqualTo(415);
    assertThat(refusal.reason()).doesNotContain("\u001b", "\n").hasSizeLessThan(300);
  }
}
