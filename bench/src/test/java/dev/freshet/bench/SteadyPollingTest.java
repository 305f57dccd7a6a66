package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The registry goal's verdict agrees with the ratio the table prints beside it. */
class SteadyPollingTest {
  @Test
  void oneRequestPerImageIsJudgedToTheTwoDecimalsTheGoalIsStatedIn() {
    assertThat(SteadyPolling.atMostOnePerImage(500, 500)).isTrue();
    assertThat(SteadyPolling.atMostOnePerImage(99.4, 100)).isTrue();
    // A window's edge catches an extra jittered check of two images out of 500: ratio 1.00.
    assertThat(SteadyPolling.atMostOnePerImage(502, 500)).isTrue();
    // One extra check a cycle in a hundred images is one too many: ratio 1.01.
    assertThat(SteadyPolling.atMostOnePerImage(101, 100)).isFalse();
    assertThat(SteadyPolling.atMostOnePerImage(506, 500)).isFalse();
  }
}
