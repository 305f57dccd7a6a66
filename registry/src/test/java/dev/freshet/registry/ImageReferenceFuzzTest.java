package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Whatever text a spec holds, the parser answers with a reference or its own exception — never a
 * NullPointerException, StringIndexOutOfBounds or a runaway regular expression. Under {@code mvn
 * test} this replays the inputs in ImageReferenceFuzzTestInputs; {@code JAZZER_FUZZ=1} explores.
 */
class ImageReferenceFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parserThrowsNothingButItsOwnException(byte[] data) {
    // Plain UTF-8, so the replayed inputs are readable files (malformed bytes become U+FFFD).
    String input = new String(data, StandardCharsets.UTF_8);
    ImageReference ref;
    try {
      ref = ImageReference.parse(input);
    } catch (InvalidReferenceException expected) {
      return;
    }
    // What parses must print to a canonical form that parses back to the same reference.
    assertThat(ImageReference.parse(ref.toString())).isEqualTo(ref);
    assertThat(ref.toString().length()).isLessThanOrEqualTo(255 + 1 + 128 + 1 + 7 + 128);
  }
}
