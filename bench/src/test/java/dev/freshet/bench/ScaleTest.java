package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScaleTest {
  @Test
  void theLongScaleHoldsFullsThousandWorkloadsForThirtySteadyMinutes() {
    Scale full = Scale.named("full");
    Scale long_ = Scale.named("long");

    assertThat(long_.steady()).singleElement().isEqualTo(full.steady().get(0));
    assertThat(long_.steady().get(0)).containsExactly(1000, 100);
    assertThat(long_.interval().multipliedBy(long_.cycles())).isEqualTo(Duration.ofMinutes(30));
    assertThat(full.interval().multipliedBy(full.cycles())).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void anUnknownScaleIsRefusedNamingTheKnownOnes() {
    assertThatThrownBy(() -> Scale.named("huge"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("full, large, long or small");
  }
}
