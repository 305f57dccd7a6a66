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
}
