package dev.freshet.receive.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.freshet.receive.Refusal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void aParserMessageQuotingControlBytesIsAnsweredPrintable() {
    // Jackson quotes the offending token, bytes and all; the refusal is answered and logged.
    byte[] body = "{\"events\":[nu\u007f\u0000,1]}".getBytes(StandardCharsets.UTF_8);

    Refusal refusal = catchThrowableOfType(() -> Json.object(body), Refusal.class);

    assertThat(refusal.status()).isEqualTo(400);
    assertThat(refusal.reason()).startsWith("body is not valid JSON: Unrecognized token 'nu??'");
    assertThat(refusal.reason().chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
  }
}
