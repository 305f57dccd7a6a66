package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.receive.auth.Secret;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The route table names each source once: requests, hints and logs all use its name. */
class SourceTest {

  @ParameterizedTest
  @EnumSource(Source.class)
  void theReceiverCarriesTheTablesSourceName(Source source) {
    Function<String, Optional<String>> required =
        key ->
            source.requiredKeys().contains(key) || key.equals(source.secretKey())
                ? Optional.of("s")
                : Optional.empty();
    assertThat(source.receiver(required, Clock.systemUTC()))
        .hasValueSatisfying(r -> assertThat(r.source()).isEqualTo(source.sourceName()));
  }

  @ParameterizedTest
  @EnumSource(Source.class)
  void aSourceMissingARequiredKeyIsNotEnabled(Source source) {
    for (String missing : source.requiredKeys()) {
      Function<String, Optional<String>> allButOne =
          key -> key.equals(missing) ? Optional.empty() : Optional.of("s");
      assertThat(source.receiver(allButOne, Clock.systemUTC())).as(missing).isEmpty();
      Function<String, Optional<String>> blank =
          key -> key.equals(missing) ? Optional.of("  ") : Optional.of("s");
      assertThat(source.receiver(blank, Clock.systemUTC())).as(missing + " blank").isEmpty();
    }
  }

  @Test
  void singleSecretSourcesAreBuiltFromTheSecretAlone() {
    assertThat(Source.QUAY.receiver(Secret.of("s"), Clock.systemUTC()).source()).isEqualTo("quay");
    assertThatThrownBy(() -> Source.GAR.receiver(Secret.of("s"), Clock.systemUTC()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gar-audience");
  }

  @Test
  void pathsAndSecretKeysAreDistinct() {
    assertThat(Arrays.stream(Source.values()).map(Source::path)).doesNotHaveDuplicates();
    assertThat(Arrays.stream(Source.values()).map(Source::secretKey)).doesNotHaveDuplicates();
  }

  @Test
  void theSecretKeysInstalledSecretsUseStillWork() {
    assertThat(Arrays.stream(Source.values()).map(Source::secretKey))
        .containsExactly(
            "hmac",
            "distribution",
            "dockerhub",
            "quay",
            "github",
            "harbor",
            "acr",
            "cloudevents",
            "gar-audience");
  }

  @Test
  void theGenericFormIsEnabledByEitherKey() {
    String policy =
        "issuers: [{issuer: 'https://ci.example.com', audience: f, rules: [{claims: {a: b},"
            + " images: ['r.example.com/a:*']}]}]";
    assertThat(Source.GENERIC.receiver(only("oidc", policy), Clock.systemUTC())).isPresent();
    assertThat(Source.GENERIC.receiver(only("hmac", "s"), Clock.systemUTC())).isPresent();
    assertThat(Source.GENERIC.receiver(key -> Optional.empty(), Clock.systemUTC())).isEmpty();
    assertThat(Source.GENERIC.enablingKeys()).isEqualTo("hmac or oidc");
  }

  @Test
  void aBadOidcPolicyIsReportedAndLeavesTheHmacFormWorking() {
    java.util.List<String> problems = new java.util.ArrayList<>();
    Function<String, Optional<String>> both =
        key ->
            switch (key) {
              case "hmac" -> Optional.of("s");
              case "oidc" -> Optional.of("issuers: [{issuer: 'http://ci.example.com'}]");
              default -> Optional.empty();
            };

    assertThat(Source.GENERIC.receiver(both, Clock.systemUTC(), problems::add)).isPresent();
    assertThat(problems)
        .singleElement()
        .asString()
        .contains("key oidc is invalid")
        .contains("issuers[0]");
    // Alone, a bad policy leaves nothing to enable: the source is off, and the reason is given.
    assertThatThrownBy(
            () ->
                Source.GENERIC.receiver(
                    only("oidc", "issuers: []"), Clock.systemUTC(), problems::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key oidc is invalid");
  }

  private static Function<String, Optional<String>> only(String key, String value) {
    return k -> k.equals(key) ? Optional.of(value) : Optional.empty();
  }
}
