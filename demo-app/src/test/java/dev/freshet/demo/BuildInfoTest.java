package dev.freshet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildInfoTest {

  @Test
  void theVersionComesFromTheFilteredResource() {
    // Surefire puts the project version into the fork; the resource must carry the same after
    // filtering.
    String expected = System.getProperty("demo.expectedVersion");
    assertThat(expected).as("demo.expectedVersion from the pom").isNotBlank();
    assertThat(BuildInfo.load(Map.of()).version()).isEqualTo(expected).doesNotContain("${");
  }

  @Test
  void theEnvironmentOverridesIt() {
    assertThat(BuildInfo.load(Map.of("DEMO_VERSION", " abc1234 ")).version()).isEqualTo("abc1234");
  }
}
