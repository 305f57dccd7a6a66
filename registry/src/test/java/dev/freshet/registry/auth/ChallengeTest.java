package dev.freshet.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

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

  /** The header comes from a server we do not control: no input may throw. */
  @FuzzTest(maxDuration = "30s")
  void parsingNeverThrows(byte[] data) {
    for (Challenge challenge : Challenge.parseAll(new String(data, StandardCharsets.UTF_8))) {
      assertThat(challenge.scheme()).isNotEmpty();
    }
  }
}
