package dev.freshet.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DockerConfigTest {
  private static String auth(String pair) {
    return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsDockerConfigJsonWithAuthField() {
    DockerConfig config =
        DockerConfig.parse("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("octo:s3cr:et") + "\"}}}");

    assertThat(config.credentialFor("ghcr.io"))
        .hasValueSatisfying(
            c -> {
              assertThat(c.username()).isEqualTo("octo");
              assertThat(c.password()).isEqualTo("s3cr:et"); // only the first ':' separates
            });
  }

  @Test
  void readsUsernameAndPasswordFields() {
    DockerConfig config =
        DockerConfig.parse(
            "{\"auths\":{\"quay.io\":{\"username\":\"robot\",\"password\":\"pw\",\"email\":\"x@y\"}}}");

    assertThat(config.credentialFor("quay.io")).contains(new Credential("robot", "pw"));
  }

  @Test
  void readsLegacyDockercfg() {
    DockerConfig config =
        DockerConfig.parse(
            "{\"registry.example.com:5000\":{\"auth\":\"" + auth("u:p") + "\",\"email\":\"e\"}}");

    assertThat(config.credentialFor("registry.example.com:5000"))
        .contains(new Credential("u", "p"));
  }

  @ParameterizedTest(
      name = "a secret for {0} serves docker.io, index.docker.io and registry-1.docker.io")
  @ValueSource(
      strings = {
        "https://index.docker.io/v1/",
        "index.docker.io",
        "docker.io",
        "registry-1.docker.io",
        "https://registry-1.docker.io/v2/",
        "http://docker.io"
      })
  void dockerHubAliasesAreOneRegistry(String key) {
    DockerConfig config =
        DockerConfig.parse("{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth("hub:pw") + "\"}}}");

    for (String registry : List.of("docker.io", "index.docker.io", "registry-1.docker.io")) {
      assertThat(config.credentialFor(registry)).as(registry).contains(new Credential("hub", "pw"));
    }
  }

  @ParameterizedTest(name = "secret key {0} matches registry {1}: {2}")
  @CsvSource({
    "https://registry.example.com/v2/, registry.example.com, true",
    "http://registry.example.com, registry.example.com, true",
    "Registry.Example.com, registry.example.com, true",
    "registry.example.com:5000, registry.example.com:5000, true",
    "registry.example.com:5000, registry.example.com, false",
    "registry.example.com, registry.example.com:5000, false",
    "example.com, registry.example.com, false",
    "https://index.docker.io/v1/, ghcr.io, false",
  })
  void matchesHostsWithOrWithoutSchemeAndPath(String key, String registry, boolean matches) {
    DockerConfig config =
        DockerConfig.parse("{\"auths\":{\"" + key + "\":{\"auth\":\"" + auth("u:p") + "\"}}}");

    assertThat(config.credentialFor(registry).isPresent()).isEqualTo(matches);
  }

  @Test
  void theFirstSecretNamingARegistryWins() {
    DockerConfig first =
        DockerConfig.parse("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("a:1") + "\"}}}");
    DockerConfig second =
        DockerConfig.parse(
            "{\"auths\":{\"ghcr.io\":{\"auth\":\""
                + auth("b:2")
                + "\"},\"quay.io\":{\"auth\":\""
                + auth("c:3")
                + "\"}}}");

    DockerConfig merged = DockerConfig.merge(List.of(first, second));

    assertThat(merged.credentialFor("ghcr.io")).contains(new Credential("a", "1"));
    assertThat(merged.credentialFor("quay.io")).contains(new Credential("c", "3"));
  }

  @Test
  void anEntryWithoutUsableCredentialsIsSkipped() {
    DockerConfig config = DockerConfig.parse("{\"auths\":{\"ghcr.io\":{\"identitytoken\":\"x\"}}}");

    assertThat(config.credentialFor("ghcr.io")).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "not json at all                               | not valid JSON",
        "[1,2]                                         | must be a JSON object",
        "{\"auths\":[]}                                | \"auths\" must be a JSON object",
        "{\"auths\":{\"h\":\"x\"}}                      | entry for h must be an object",
        "{\"auths\":{\"h\":{\"auth\":\"!!!\"}}}         | not base64",
        "{\"auths\":{\"h\":{\"auth\":\"bm9jb2xvbg==\"}}} | must decode to username:password",
      })
  void refusesMalformedConfigsWithoutEchoingThem(String content, String problem) {
    assertThatThrownBy(() -> DockerConfig.parse(content))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void neitherCredentialNorConfigPrintsThePassword() {
    DockerConfig config =
        DockerConfig.parse(
            "{\"auths\":{\"ghcr.io\":{\"auth\":\"" + auth("octo:topsecret") + "\"}}}");

    assertThat(config.toString()).doesNotContain("topsecret");
    assertThat(config.credentialFor("ghcr.io").orElseThrow().toString())
        .doesNotContain("topsecret");
  }

  /** Pull secrets are user input: a malformed one is refused with IllegalArgumentException only. */
  @FuzzTest(maxDuration = "30s")
  void parsingThrowsNothingButIllegalArgument(byte[] data) {
    try {
      DockerConfig config = DockerConfig.parse(data);
      assertThat(config.credentialFor("docker.io")).isNotNull();
    } catch (IllegalArgumentException expected) {
      // refused, with a message that names no secret
    }
  }

  @Test
  void fingerprintsDifferPerCredentialAndHideThePassword() {
    Credential a = new Credential("user", "one");
    Credential b = new Credential("user", "two");

    assertThat(a.fingerprint()).isNotEqualTo(b.fingerprint()).doesNotContain("one");
    assertThat(new Credential("user", "one").fingerprint()).isEqualTo(a.fingerprint());
    // "ab"+"c" and "a"+"bc" must not collide
    assertThat(new Credential("ab", "c").fingerprint())
        .isNotEqualTo(new Credential("a", "bc").fingerprint());
  }
}
