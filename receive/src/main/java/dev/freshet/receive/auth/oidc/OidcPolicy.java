package dev.freshet.receive.auth.oidc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The allow-list of CI issuers and their rules, from key {@code oidc} of Secret {@code
 * freshet-webhook}:
 *
 * <pre>{@code
 * issuers:
 *   - issuer: https://token.actions.githubusercontent.com
 *     audience: freshet
 *     rules:
 *       - claims: {repository: org/app, ref: refs/heads/main}
 *         images: ["registry.example.com/org/app:*"]
 * }</pre>
 *
 * Loading is strict, because a key that is misspelt and ignored would quietly widen or narrow who
 * may deploy: unknown keys, duplicate keys, a wrong type, an empty list, a duplicate issuer are
 * each an error naming where it is ({@code issuers[0].rules[1].images[0]: …}).
 */
public record OidcPolicy(List<OidcIssuer> issuers) {

  /** A Secret's value is at most 1 MiB; a policy is a few KiB. */
  private static final int MAX_LENGTH = 256 * 1024;

  private static final YAMLMapper YAML =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxStringLength(MAX_LENGTH)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  public OidcPolicy {
    if (issuers.isEmpty()) {
      throw new IllegalArgumentException("issuers: at least one issuer is needed");
    }
    issuers = List.copyOf(issuers);
  }

  /** The issuer whose tokens carry {@code iss}, if it is on the list. */
  public Optional<OidcIssuer> issuer(String iss) {
    return issuers.stream().filter(i -> i.name().equals(iss)).findFirst();
  }

  /**
   * Reads a policy.
   *
   * @throws IllegalArgumentException naming the first problem and where it is
   */
  public static OidcPolicy parse(String yaml) {
    if (yaml.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("longer than " + MAX_LENGTH + " characters");
    }
    JsonNode root;
    try {
      root = YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not YAML: " + e.getOriginalMessage());
    } catch (RuntimeException e) {
      // SnakeYAML reports some limits (aliases, code points) with its own unchecked exceptions.
      throw new IllegalArgumentException("not YAML: " + e.getMessage());
    }
    Node top = new Node("", root);
    top.keys(Set.of("issuers"));
    List<OidcIssuer> issuers = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Node issuerNode : top.list("issuers")) {
      OidcIssuer issuer = issuerNode.build(() -> issuer(issuerNode));
      if (!seen.add(issuer.name())) {
        throw issuerNode.problem("issuer " + issuer.name() + " is listed twice");
      }
      issuers.add(issuer);
    }
    return new OidcPolicy(issuers);
  }

  private static OidcIssuer issuer(Node node) {
    node.keys(Set.of("issuer", "audience", "rules"));
    String text = node.text("issuer");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw node.at("issuer").problem("not a URL: " + e.getMessage());
    }
    if (text.endsWith("/")) {
      // Tokens' iss must equal the issuer exactly; GitHub and GitLab write theirs without "/".
      throw node.at("issuer").problem("write the issuer as its tokens' iss, without a trailing /");
    }
    String audience = node.text("audience");
    List<ClaimRule> rules = new ArrayList<>();
    for (Node ruleNode : node.list("rules")) {
      rules.add(ruleNode.build(() -> rule(ruleNode)));
    }
    Node issuerField = node.at("issuer");
    return issuerField.build(() -> new OidcIssuer(uri, audience, rules));
  }

  private static ClaimRule rule(Node node) {
    node.keys(Set.of("claims", "images"));
    Node claimsNode = node.at("claims");
    if (claimsNode.json == null || !claimsNode.json.isObject()) {
      throw claimsNode.problem("must be a map of claim name to value");
    }
    Map<String, String> claims = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = claimsNode.json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> claim = it.next();
      JsonNode value = claim.getValue();
      if (claim.getKey().isBlank()) {
        throw claimsNode.problem("a claim name must not be empty");
      }
      if (!value.isValueNode() || value.isNull() || value.asText().isBlank()) {
        throw claimsNode
            .at(claim.getKey())
            .problem("must be a non-empty string (claims are compared exactly, no globs)");
      }
      claims.put(claim.getKey(), value.asText());
    }
    List<ImagePattern> images = new ArrayList<>();
    for (Node image : node.list("images")) {
      if (!image.json.isTextual()) {
        throw image.problem("must be a string such as registry.example.com/org/app:*");
      }
      images.add(image.build(() -> ImagePattern.parse(image.json.asText())));
    }
    return node.build(() -> new ClaimRule(claims, images));
  }

  /** A place in the document, for errors that say where they are. */
  private record Node(String path, JsonNode json) {

    Node at(String key) {
      JsonNode child = json == null ? null : json.get(key);
      return new Node(path.isEmpty() ? key : path + "." + key, child);
    }

    void keys(Set<String> allowed) {
      if (json == null || !json.isObject()) {
        throw problem(
            "must be a map with " + String.join(", ", allowed.stream().sorted().toList()));
      }
      for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!allowed.contains(name)) {
          throw problem(
              "unknown key '"
                  + name
                  + "' (allowed: "
                  + String.join(", ", allowed.stream().sorted().toList())
                  + ")");
        }
      }
    }

    String text(String key) {
      Node child = at(key);
      if (child.json == null || !child.json.isTextual() || child.json.asText().isBlank()) {
        throw child.problem("a non-empty string is required");
      }
      return child.json.asText().trim();
    }

    List<Node> list(String key) {
      Node child = at(key);
      if (child.json == null || !child.json.isArray() || child.json.isEmpty()) {
        throw child.problem("a non-empty list is required");
      }
      List<Node> items = new ArrayList<>();
      for (int i = 0; i < child.json.size(); i++) {
        items.add(new Node(child.path + "[" + i + "]", child.json.get(i)));
      }
      return items;
    }

    /** Runs a constructor, naming this place in its complaint. */
    <T> T build(java.util.function.Supplier<T> constructor) {
      try {
        return constructor.get();
      } catch (Problem e) {
        throw e;
      } catch (IllegalArgumentException e) {
        throw problem(e.getMessage());
      }
    }

    Problem problem(String message) {
      return new Problem((path.isEmpty() ? "" : path + ": ") + message);
    }
  }

  /** An error already naming its place, passed up unchanged. */
  private static final class Problem extends IllegalArgumentException {
    Problem(String message) {
      super(message);
    }
  }
}
