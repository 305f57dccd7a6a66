package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.auth.Secret;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The route table names each source once: requests, hints and logs all use its name. */
class SourceTest {

  @ParameterizedTest
  @EnumSource(Source.class)
  void theReceiverCarriesTheTablesSourceName(Source source) {
    assertThat(source.receiver(Secret.of("s"), Clock.systemUTC()).source())
        .isEqualTo(source.sourceName());
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
            "hmac", "distribution", "dockerhub", "quay", "github", "harbor", "acr", "cloudevents");
  }
}
