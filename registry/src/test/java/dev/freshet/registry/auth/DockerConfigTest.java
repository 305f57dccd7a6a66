package dev.freshet.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
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

  /**
   * Pull secrets are user input: a malformed one is refused with IllegalArgumentException only,
   * with a message that does not repeat the secret; one read never prints its passwords.
   */
  @FuzzTest(maxDuration = "30s")
  void parsingThrowsNothingButIllegalArgument(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    DockerConfig config;
    try {
      config = DockerConfig.parse(data);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      if (text.length() > 40) {
        assertThat(refused.getMessage()).doesNotContain(text);
      }
      return;
    }
    config
        .credentialFor("docker.io")
        .ifPresent(
            c -> {
              if (c.password().length() >= 8) {
                assertThat(config.toString()).doesNotContain(c.password());
                assertThat(c.toString()).doesNotContain(c.password());
              }
            });
  }

  /**
   * Any user name without a colon and any password, written in either form a secret uses, reads
   * back as written for its registry and for no other.
   */
  @FuzzTest(maxDuration = "30s")
  void anyCredentialReadsBackFromEitherForm(FuzzedDataProvider data) throws Exception {
    String username = data.consumeString(40).replace(":", "");
    String password = data.consumeString(80);
    boolean authField = data.consumeBoolean();
    if (!survivesUtf8(username) || !survivesUtf8(password)) {
      return; // a lone surrogate has no UTF-8 form, in a secret or anywhere
    }
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    var entry = json.createObjectNode();
    if (authField) {
      entry.put("auth", auth(username + ":" + password));
    } else {
      entry.put("username", username).put("password", password);
    }
    var root = json.createObjectNode();
    root.putObject("auths").set("registry.example.com:5000", entry);

    DockerConfig config;
    try {
      config = DockerConfig.parse(json.writeValueAsString(root));
    } catch (IllegalArgumentException refused) {
      // Only an empty user name or password may be refused, never a usable pair.
      assertThat(username.isEmpty() || password.isEmpty()).as(refused.getMessage()).isTrue();
      return;
    }
    config
        .credentialFor("registry.example.com:5000")
        .ifPresentOrElse(
            c -> assertThat(c).isEqualTo(new Credential(username, password)),
            () -> assertThat(username.isEmpty() || password.isEmpty()).isTrue());
    assertThat(config.credentialFor("registry.example.com")).isEmpty();
  }

  private static boolean survivesUtf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).equals(text);
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
