package dev.freshet.receive.auth.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key {@code oidc} of Secret freshet-webhook: read strictly, every problem named with its place.
 */
class OidcPolicyTest {

  private static final String GITHUB =
      """
      issuers:
        - issuer: https://token.actions.githubusercontent.com
          audience: freshet
          rules:
            - claims: {repository: org/app, ref: refs/heads/main}
              images: ["registry.example.com/org/app:*"]
            - claims: {repository_owner: org, environment: production}
              images: ["registry.example.com/org/*:v*"]
        - issuer: https://gitlab.example.com
          audience: https://freshet.example.com
          rules:
            - claims: {project_path: group/app, ref_protected: true}
              images: ["registry.example.com/group/app:*"]
      """;

  @Test
  void theDocumentedExampleIsRead() {
    OidcPolicy policy = OidcPolicy.parse(GITHUB);

    assertThat(policy.issuers()).hasSize(2);
    OidcIssuer github = policy.issuer("https://token.actions.githubusercontent.com").orElseThrow();
    assertThat(github.audience()).isEqualTo("freshet");
    assertThat(github.rules()).hasSize(2);
    assertThat(github.rules().get(0).claims())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("repository", "org/app", "ref", "refs/heads/main"));
    assertThat(policy.issuer("https://gitlab.example.com").orElseThrow().rules().get(0).claims())
        .containsEntry("ref_protected", "true");
    assertThat(policy.issuer("https://token.actions.githubusercontent.com/")).isEmpty();
  }

  @Test
  void aTokenMustMatchEveryClaimOfARuleAndARuleItsImage() {
    OidcIssuer github =
        OidcPolicy.parse(GITHUB)
            .issuer("https://token.actions.githubusercontent.com")
            .orElseThrow();
    Map<String, Object> main = Map.of("repository", "org/app", "ref", "refs/heads/main");
    Map<String, Object> branch = Map.of("repository", "org/app", "ref", "refs/heads/feature");
    Map<String, Object> production =
        Map.of("repository_owner", "org", "environment", "production", "repository", "org/x");

    assertThat(github.allows(main, "registry.example.com", "org/app", "dev")).isTrue();
    assertThat(github.allows(branch, "registry.example.com", "org/app", "dev")).isFalse();
    assertThat(github.allows(main, "registry.example.com", "org/other", "dev")).isFalse();
    assertThat(github.allows(production, "registry.example.com", "org/other", "v2")).isTrue();
    assertThat(github.allows(production, "registry.example.com", "org/other", "dev")).isFalse();
    // Claims are compared exactly: no globs, no case folding, no list membership.
    assertThat(
            github.allows(
                Map.of("repository", "org/*", "ref", "refs/heads/main"),
                "registry.example.com",
                "org/app",
                "dev"))
        .isFalse();
    assertThat(
            github.allows(
                Map.of("repository", "Org/App", "ref", "refs/heads/main"),
                "registry.example.com",
                "org/app",
                "dev"))
        .isFalse();
    assertThat(
            github.allows(
                Map.of("repository", java.util.List.of("org/app"), "ref", "refs/heads/main"),
                "registry.example.com",
                "org/app",
                "dev"))
        .isFalse();
  }

  @Test
  void aBooleanClaimMatchesItsWrittenValue() {
    OidcIssuer gitlab = OidcPolicy.parse(GITHUB).issuer("https://gitlab.example.com").orElseThrow();
    assertThat(
            gitlab.allows(
                Map.of("project_path", "group/app", "ref_protected", "true"),
                "registry.example.com",
                "group/app",
                "1"))
        .isTrue();
    assertThat(
            gitlab.allows(
                Map.of("project_path", "group/app", "ref_protected", true),
                "registry.example.com",
                "group/app",
                "1"))
        .isTrue();
    assertThat(
            gitlab.allows(
                Map.of("project_path", "group/app", "ref_protected", "false"),
                "registry.example.com",
                "group/app",
                "1"))
        .isFalse();
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "issuers: [] | issuers: a non-empty list is required",
        "{} | issuers: a non-empty list is required",
        "issuer: https://x.example.com | unknown key 'issuer'",
        "'[1, 2]' | must be a map",
        "'issuers: [{issuer: https://a.example.com, audience: f, rules: []}]' | issuers[0].rules: a non-empty list is required",
        "'issuers: [{issuer: http://ci.example.com, audience: f, rules: [{claims: {a: b}, images: [\"r.example.com/a:*\"]}]}]' | plain http only on loopback",
        "'issuers: [{issuer: https://ci.example.com/, audience: f, rules: [{claims: {a: b}, images: [\"r.example.com/a:*\"]}]}]' | without a trailing /",
        "'issuers: [{issuer: https://ci.example.com, rules: [{claims: {a: b}, images: [\"r.example.com/a:*\"]}]}]' | issuers[0].audience: a non-empty string is required",
        "'issuers: [{issuer: https://ci.example.com, audience: f, rules: [{claims: {}, images: [\"r.example.com/a:*\"]}]}]' | issuers[0].rules[0]: a rule needs at least one claim",
        "'issuers: [{issuer: https://ci.example.com, audience: f, rules: [{claims: {a: [b]}, images: [\"r.example.com/a:*\"]}]}]' | issuers[0].rules[0].claims.a: must be a non-empty string",
        "'issuers: [{issuer: https://ci.example.com, audience: f, rules: [{claims: {a: b}, images: [\"r.example.com/a\"]}]}]' | issuers[0].rules[0].images[0]: 'r.example.com/a' has no tag",
        "'issuers: [{issuer: https://ci.example.com, audience: f, rules: [{claims: {a: b}, image: [\"r.example.com/a:*\"]}]}]' | issuers[0].rules[0]: unknown key 'image'",
        "'issuers: [{issuer: https://ci.example.com, audience: f, audience: g, rules: []}]' | Duplicate field 'audience'",
        "'issuers: [{issuer: https://ci.example.com, audience: f, rules: [{claims: {a: b}, images: [\"r.example.com/a:*\"]}]}, {issuer: https://ci.example.com, audience: g, rules: [{claims: {a: b}, images: [\"r.example.com/a:*\"]}]}]' | issuers[1]: issuer https://ci.example.com is listed twice",
        "'issuers: [' | not YAML",
      })
  void aBadPolicyIsRefusedSayingWhereAndWhat(String yaml, String message) {
    assertThatThrownBy(() -> OidcPolicy.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void plainHttpIsAcceptedOnLoopbackOnly() {
    String local =
        "issuers: [{issuer: 'http://127.0.0.1:8080', audience: f, rules: [{claims: {a: b},"
            + " images: ['r.example.com/a:*']}]}]";
    assertThat(OidcPolicy.parse(local).issuers()).hasSize(1);
    assertThatThrownBy(() -> OidcPolicy.parse(local.replace("127.0.0.1", "10.0.0.1")))
        .hasMessageContaining("plain http only on loopback");
  }

  /** The policy the user guide shows is one Freshet reads, and means what the guide says. */
  @Test
  void theUserGuidesPolicyIsValid() throws Exception {
    String guide = Files.readString(userGuide(), StandardCharsets.UTF_8);
    int section = guide.indexOf("### Pipelines prove who they are with OIDC");
    int start = guide.indexOf("```yaml\n", section) + "```yaml\n".length();
    String yaml = guide.substring(start, guide.indexOf("```", start));

    OidcPolicy policy = OidcPolicy.parse(yaml);

    OidcIssuer github = policy.issuer("https://token.actions.githubusercontent.com").orElseThrow();
    assertThat(
            github.allows(
                Map.of("repository", "org/app", "ref", "refs/heads/main"),
                "registry.example.com",
                "org/app",
                "dev"))
        .isTrue();
    assertThat(policy.issuer("https://gitlab.com")).isPresent();
  }

  private static Path userGuide() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("docs/keeping-fresh.md"))) {
        return p.resolve("docs/keeping-fresh.md");
      }
    }
    throw new IllegalStateException("docs/keeping-fresh.md not found above the working directory");
  }

  /** Found by fuzzing: a rule without claims threw a NullPointerException instead of saying so. */
  @Test
  void aRuleWithoutClaimsIsRefusedNamingItsPlace() {
    String yaml =
        """
        issuers:
          - issuer: https://token.actions.githubusercontent.com
            audience: freshet
            rules:
              - images: ["registry.example.com/org/*:*"]
        """;

    assertThatThrownBy(() -> OidcPolicy.parse(yaml))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("claims")
        .hasMessageContaining("must be a map of claim name to value");
  }
}
