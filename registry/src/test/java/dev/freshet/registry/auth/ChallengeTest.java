package dev.freshet.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChallengeTest {
  @Test
  void readsDockerHubsBearerChallenge() {
    List<Challenge> challenges =
        Challenge.parseAll(
            "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                + "scope=\"repository:library/nginx:pull\"");

    assertThat(challenges)
        .containsExactly(
            new Challenge(
                "Bearer",
                Map.of(
                    "realm", "https://auth.docker.io/token",
                    "service", "registry.docker.io",
                    "scope", "repository:library/nginx:pull")));
    assertThat(challenges.get(0).isBearer()).isTrue();
  }

  @Test
  void keepsCommasInsideQuotedScopes() {
    Challenge challenge =
        Challenge.parseAll("Bearer realm=\"https://a/token\", scope=\"repository:x:pull,push\"")
            .get(0);

    assertThat(challenge.param("scope")).contains("repository:x:pull,push");
  }

  @Test
  void readsSeveralChallengesInOneHeader() {
    List<Challenge> challenges =
        Challenge.parseAll(
            "Basic realm=\"registry\", Bearer realm=\"https://a/token\",service=svc");

    assertThat(challenges).extracting(Challenge::scheme).containsExactly("Basic", "Bearer");
    assertThat(challenges.get(1).param("service")).contains("svc");
  }

  @Test
  void schemeAndParameterNamesAreCaseInsensitiveAndEscapesAreUndone() {
    Challenge challenge = Challenge.parseAll("bearer REALM=\"https://a/t\\\"x\"").get(0);

    assertThat(challenge.isBearer()).isTrue();
    assertThat(challenge.param("realm")).contains("https://a/t\"x");
  }

  @Test
  void aBareSchemeHasNoParameters() {
    assertThat(Challenge.parseAll("Basic")).containsExactly(new Challenge("Basic", Map.of()));
  }

  /**
   * The header comes from a server we do not control: no input may throw, every challenge read has
   * a scheme made of token characters and lower-case parameter names, and there are no more
   * challenges than characters.
   */
  @FuzzTest(maxDuration = "30s")
  void parsingNeverThrows(byte[] data) {
    String header = new String(data, StandardCharsets.UTF_8);
    List<Challenge> challenges = Challenge.parseAll(header);
    assertThat(challenges.size()).isLessThanOrEqualTo(header.length());
    for (Challenge challenge : challenges) {
      assertThat(challenge.scheme()).isNotEmpty().matches(TOKEN);
      assertThat(challenge.params().keySet())
          .allSatisfy(name -> assertThat(name).matches(TOKEN).isLowerCase());
    }
  }

  /**
   * A challenge written by the rules (a token scheme, parameters with quoted and escaped values)
   * reads back as written, after another challenge, whatever the values hold.
   */
  @FuzzTest(maxDuration = "30s")
  void aWellFormedChallengeReadsBackAsWritten(FuzzedDataProvider data) {
    String scheme = tokenOf(data.consumeString(20), "Bearer");
    Map<String, String> params = new java.util.LinkedHashMap<>();
    int count = data.consumeInt(0, 5);
    for (int i = 0; i < count; i++) {
      params.putIfAbsent(
          tokenOf(data.consumeString(20), "p" + i).toLowerCase(java.util.Locale.ROOT),
          data.consumeString(100));
    }
    StringBuilder header = new StringBuilder("Basic realm=\"first\", ").append(scheme);
    String separator = " ";
    for (Map.Entry<String, String> param : params.entrySet()) {
      String escaped = param.getValue().replace("\\", "\\\\").replace("\"", "\\\"");
      header.append(separator).append(param.getKey()).append("=\"").append(escaped).append('"');
      separator = ", ";
    }

    assertThat(Challenge.parseAll(header.toString()))
        .as(header.toString())
        .containsExactly(
            new Challenge("Basic", Map.of("realm", "first")), new Challenge(scheme, params));
  }

  private static final String TOKEN = "[A-Za-z0-9!#$%&'*+.^_`|~-]+";

  private static String tokenOf(String text, String otherwise) {
    String token = text.replaceAll("[^A-Za-z0-9!#$%&'*+.^_`|~-]", "");
    return token.isEmpty() ? otherwise : token;
  }
}
