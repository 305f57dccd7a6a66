package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOfAHundredValues() {
    var p =
        new Percentiles(IntStream.rangeClosed(1, 100).mapToObj(i -> (double) (101 - i)).toList());

    assertThat(p.at(50)).isEqualTo(50.0);
    assertThat(p.at(99)).isEqualTo(99.0);
    assertThat(p.at(100)).isEqualTo(100.0);
    assertThat(p.max()).isEqualTo(100.0);
  }

  @Test
  void smallSamplesRoundTheRankUp() {
    var p = new Percentiles(List.of(30.0, 10.0, 20.0));

    assertThat(p.at(50)).isEqualTo(20.0);
    assertThat(p.at(99)).isEqualTo(30.0);
    assertThat(p.at(1)).isEqualTo(10.0);
  }

  @Test
  void refusesNothingToMeasureAndPercentilesOutOfRange() {
    assertThatThrownBy(() -> new Percentiles(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Percentiles(List.of(1.0)).at(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
