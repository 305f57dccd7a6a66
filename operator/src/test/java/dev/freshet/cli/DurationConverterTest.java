package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

  private final DurationConverter converter = new DurationConverter();

  @Test
  void readsKubectlStyleDurations() {
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("10m")).isEqualTo(Duration.ofMinutes(10));
    assertThat(converter.convert("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
  }

  /** The minimum of poll intervals is theirs: a lease retry period of 2s is fine. */
  @Test
  void hasNoIntervalBounds() {
    assertThat(converter.convert("2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(converter.convert("48h")).isEqualTo(Duration.ofHours(48));
  }

  @Test
  void refusesAnythingElse() {
    assertThatThrownBy(() -> converter.convert("10")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> converter.convert("PT10M"))
        .isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> converter.convert("99999999999h"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("at most 6 digits");
  }
}
