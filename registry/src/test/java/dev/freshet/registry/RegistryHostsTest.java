package dev.freshet.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryHostsTest {
  @ParameterizedTest(name = "{0} is loopback: {1}")
  @CsvSource({
    "localhost, true",
    "localhost:5000, true",
    "127.0.0.1, true",
    "127.0.0.1:39989, true",
    "127.255.10.1:80, true",
    "[::1]:5000, true",
    "[::1], true",
    "128.0.0.1, false",
    "127.0.0.1.example.com, false",
    "127.0.0.256, false",
    "localhost.example.com, false",
    "[::2]:5000, false",
    "registry.example.com, false",
  })
  void onlyLoopbackHostsAreLoopback(String host, boolean loopback) {
    assertThat(RegistryHosts.isLoopback(host)).isEqualTo(loopback);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "docker.io, registry-1.docker.io",
    "index.docker.io, registry-1.docker.io",
    "ghcr.io, ghcr.io",
    "localhost:5000, localhost:5000",
  })
  void dockerHubsApiLivesOnRegistry1(String registry, String apiHost) {
    assertThat(RegistryHosts.apiHost(registry)).isEqualTo(apiHost);
  }
}
