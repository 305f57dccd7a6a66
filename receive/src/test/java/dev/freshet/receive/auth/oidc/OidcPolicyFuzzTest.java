package dev.freshet.receive.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.receive.ImageNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What is parsed by hand for pipelines' tokens: the oidc policy, its image patterns and the claim
 * matching. Any text is read or refused with an {@link IllegalArgumentException} that says why;
 * nothing else escapes, and what was read behaves. In {@code mvn test} it replays the seeds in
 * OidcPolicyFuzzTestInputs; {@code JAZZER_FUZZ=1} fuzzes.
 */
class OidcPolicyFuzzTest {

  @FuzzTest(maxDuration = "60s")
  void anyPolicyTextIsReadOrRefusedWithAReason(byte[] data) {
    String yaml = new String(data, StandardCharsets.UTF_8);
    OidcPolicy policy;
    try {
      policy = OidcPolicy.parse(yaml);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    // A policy read is never empty, and its rules compare claims without throwing.
    assertThat(policy.issuers()).isNotEmpty();
    for (OidcIssuer issuer : policy.issuers()) {
      assertThat(issuer.rules()).allSatisfy(rule -> assertThat(rule.claims()).isNotEmpty());
      assertThat(issuer.allows(Map.of("repository", yaml), "docker.io", "library/x", "dev"))
          .isIn(true, false);
    }
  }

  /**
   * A pattern and an image, one a line. Patterns parse or are refused; matching never throws; a
   * pattern without {@code *} allows exactly the one image it names.
   */
  @FuzzTest(maxDuration = "60s")
  void imagePatternsParseOrAreRefusedAndMatchSafely(byte[] data) {
    String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", 2);
    String patternText = lines[0];
    String image = lines.length > 1 ? lines[1] : "registry.example.com/org/app:dev";
    ImagePattern pattern;
    try {
      pattern = ImagePattern.parse(patternText);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return;
    }
    int colon = image.lastIndexOf(':');
    if (colon <= image.lastIndexOf('/')) {
      return;
    }
    ImageNames.Name name;
    try {
      name = ImageNames.split(image.substring(0, colon));
    } catch (IllegalArgumentException notAnImage) {
      return;
    }
    String tag = image.substring(colon + 1);
    boolean matched = pattern.matches(name.registry(), name.repository(), tag);
    if (!ImageNames.isTag(tag)) {
      return;
    }
    ImagePattern literal =
        ImagePattern.parse(name.registry() + "/" + name.repository() + ":" + tag);
    assertThat(literal.matches(name.registry(), name.repository(), tag)).isTrue();
    assertThat(literal.matches(name.registry(), name.repository(), tag + "x")).isFalse();
    if (!patternText.contains("*")) {
      // Without wildcards a pattern is one image, normalised as Docker does (nginx is
      // docker.io/library/nginx).
      int patternColon = patternText.lastIndexOf(':');
      ImageNames.Name named = ImageNames.split(patternText.substring(0, patternColon));
      assertThat(matched)
          .isEqualTo(named.equals(name) && patternText.substring(patternColon + 1).equals(tag));
    }
  }
}
