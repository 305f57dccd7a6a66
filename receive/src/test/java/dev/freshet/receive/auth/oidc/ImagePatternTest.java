package dev.freshet.receive.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.freshet.receive.ImageNames;
import java.time.Duration;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What an {@code images} pattern of the oidc policy lets a pipeline announce. */
class ImagePatternTest {

  @ParameterizedTest(name = "{0} allows {1}")
  @CsvSource({
    "registry.example.com/org/app:*, registry.example.com/org/app:dev",
    "registry.example.com/org/app:*, Registry.Example.com/org/app:v1.2.3",
    "registry.example.com/org/app:v1.*, registry.example.com/org/app:v1.4",
    "registry.example.com/org/app:main-*, registry.example.com/org/app:main-abc123",
    "registry.example.com/org/*:dev, registry.example.com/org/web:dev",
    "registry.example.com/*/app:dev, registry.example.com/team-a/app:dev",
    "127.0.0.1:5000/demo/app:*, 127.0.0.1:5000/demo/app:dev",
    "nginx:*, docker.io/library/nginx:1.27",
    "docker.io/library/nginx:*, index.docker.io/library/nginx:1.27",
    "*/app:*, docker.io/someone/app:1",
    "registry.example.com/org/app:v*.*.*, registry.example.com/org/app:v1.22.3",
    "registry.example.com/org/app:*-rc*, registry.example.com/org/app:1.0-rc-rc2",
    "registry.example.com/org/app:**dev, registry.example.com/org/app:dev",
  })
  void allowed(String pattern, String image) {
    assertThat(allows(pattern, image)).isTrue();
  }

  @ParameterizedTest(name = "{0} refuses {1}")
  @CsvSource({
    // another registry, even one whose name starts the same
    "registry.example.com/org/app:*, registry.example.com.evil.io/org/app:dev",
    "registry.example.com/org/app:*, other.example.com/org/app:dev",
    // another repository, or a longer or shorter path: * is one whole segment
    "registry.example.com/org/app:*, registry.example.com/org/app2:dev",
    "registry.example.com/org/*:dev, registry.example.com/org/team/web:dev",
    "registry.example.com/org/*:dev, registry.example.com/org:dev",
    "registry.example.com/org/app:*, registry.example.com/org/app/sub:dev",
    // a tag the pattern does not cover
    "registry.example.com/org/app:v1.*, registry.example.com/org/app:v2.0",
    "registry.example.com/org/app:dev, registry.example.com/org/app:dev2",
    "registry.example.com/org/app:main-*, registry.example.com/org/app:main",
    // a tag glob never matches a dot as a regex would
    "registry.example.com/org/app:v1.2, registry.example.com/org/app:v1x2",
    "registry.example.com/org/app:v*.*.*, registry.example.com/org/app:v1.2",
    "registry.example.com/org/app:*-rc*, registry.example.com/org/app:1.0-beta",
  })
  void refused(String pattern, String image) {
    assertThat(allows(pattern, image)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "registry.example.com/org/app | has no tag",
        "registry.example.com/org/app@sha256:abc | has no tag",
        "registry.example.com/org/ap*:dev | whole path segment",
        "*.example.com/org/app:dev | whole path segment",
        "registry.example.com/org/app:a b | is not a tag",
        "registry.example.com/org/app: | is not a tag",
        "registry.example.com/Org/app:* | not a repository name",
        "registry.example.com//app:* | not a repository name",
        "' ' | must not be empty",
      })
  void badPatternsAreRefusedWithAReason(String pattern, String reason) {
    assertThatThrownBy(() -> ImagePattern.parse(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  /**
   * Many stars against a long tag that almost matches: as a regular expression ({@code [\w.-]*} per
   * star) this backtracked for minutes. The bound is a guard against a hang, not a speed goal.
   */
  @Test
  void manyStarsAgainstALongTagAnswerWithoutBacktracking() {
    String glob = "*".repeat(60) + "7";
    String tag = "1.27" + "f".repeat(124);
    assertTimeoutPreemptively(
        Duration.ofSeconds(10), () -> assertThat(ImagePattern.tagMatches(glob, tag)).isFalse());
    assertThat(ImagePattern.tagMatches("*a*a*a*a*a*a*a*a*b", "a".repeat(128))).isFalse();
    assertThat(ImagePattern.tagMatches("*a*a*a*a*a*a*a*a*b", "a".repeat(127) + "b")).isTrue();
  }

  /** The wildcard match answers as the regular expression it replaced, on random short inputs. */
  @Test
  void answersAsTheRegularExpressionItReplaced() {
    var random = new Random(42);
    String alphabet = "ab.-*";
    for (int i = 0; i < 50_000; i++) {
      String glob = randomText(random, alphabet, 6);
      String tag = randomText(random, alphabet.replace("*", "_"), 8);
      assertThat(ImagePattern.tagMatches(glob, tag))
          .as("%s against %s", glob, tag)
          .isEqualTo(regexOf(glob).matcher(tag).matches());
    }
  }

  private static String randomText(Random random, String alphabet, int maxLength) {
    var text = new StringBuilder();
    for (int n = random.nextInt(maxLength + 1); n > 0; n--) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static Pattern regexOf(String glob) {
    var regex = new StringBuilder();
    for (String part : glob.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append("[\\w.-]*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString());
  }

  private static boolean allows(String pattern, String image) {
    int colon = image.lastIndexOf(':');
    ImageNames.Name name = ImageNames.split(image.substring(0, colon));
    return ImagePattern.parse(pattern)
        .matches(name.registry(), name.repository(), image.substring(colon + 1));
  }
}
