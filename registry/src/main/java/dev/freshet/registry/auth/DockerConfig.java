package dev.freshet.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.RegistryHosts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registry credentials from a pull secret: {@code .dockerconfigjson} ({@code {"auths":{host:{…}}}})
 * or the legacy {@code .dockercfg} ({@code {host:{…}}}). Each entry gives {@code auth} (base64
 * {@code user:password}) or {@code username} and {@code password}. Hosts are matched with or
 * without scheme and path, and Docker Hub's names ({@code docker.io}, {@code index.docker.io},
 * {@code registry-1.docker.io}, {@code https://index.docker.io/v1/}) are one registry.
 */
public final class DockerConfig {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Map<String, Credential> byRegistry;

  private DockerConfig(Map<String, Credential> byRegistry) {
    this.byRegistry = Map.copyOf(byRegistry);
  }

  /** An empty configuration: every registry anonymous. */
  public static DockerConfig empty() {
    return new DockerConfig(Map.of());
  }

  /**
   * Parses the content of a {@code kubernetes.io/dockerconfigjson} or {@code
   * kubernetes.io/dockercfg} secret (the decoded bytes).
   *
   * @throws IllegalArgumentException when it is not JSON of either shape; the message never
   *     contains secret material
   */
  public static DockerConfig parse(byte[] content) {
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (IOException e) {
      // Jackson quotes the offending input in its message; that input is a secret.
      throw new IllegalArgumentException("docker config is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("docker config must be a JSON object");
    }
    JsonNode auths = root.has("auths") ? root.get("auths") : root;
    if (!auths.isObject()) {
      throw new IllegalArgumentException("docker config \"auths\" must be a JSON object");
    }
    Map<String, Credential> byRegistry = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = auths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      credentialOf(entry.getKey(), entry.getValue())
          .ifPresent(c -> byRegistry.putIfAbsent(RegistryHosts.credentialKey(entry.getKey()), c));
    }
    return new DockerConfig(byRegistry);
  }

  public static DockerConfig parse(String content) {
    return parse(content.getBytes(StandardCharsets.UTF_8));
  }

  /** Several pull secrets, in the order a pod lists them; the first that names a registry wins. */
  public static DockerConfig merge(List<DockerConfig> configs) {
    Map<String, Credential> merged = new LinkedHashMap<>();
    for (DockerConfig config : configs) {
      config.byRegistry.forEach(merged::putIfAbsent);
    }
    return new DockerConfig(merged);
  }

  private static Optional<Credential> credentialOf(String host, JsonNode entry) {
    if (!entry.isObject()) {
      throw new IllegalArgumentException("docker config entry for " + host + " must be an object");
    }
    String auth = text(entry, "auth");
    if (auth != null && !auth.isEmpty()) {
      String pair;
      try {
        pair = new String(Base64.getDecoder().decode(auth.trim()), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("docker config \"auth\" for " + host + " is not base64");
      }
      int colon = pair.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "docker config \"auth\" for " + host + " must decode to username:password");
      }
      return Optional.of(new Credential(pair.substring(0, colon), pair.substring(colon + 1)));
    }
    String username = text(entry, "username");
    String password = text(entry, "password");
    if (username != null && password != null) {
      return Optional.of(new Credential(username, password));
    }
    return Optional.empty(); // e.g. only an email or identity token: nothing we can send
  }

  private static String text(JsonNode entry, String field) {
    JsonNode value = entry.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  /** The credential for this registry ({@code host[:port]}, any Docker Hub alias), if any. */
  public Optional<Credential> credentialFor(String registry) {
    return Optional.ofNullable(byRegistry.get(RegistryHosts.credentialKey(registry)));
  }

  @Override
  public String toString() {
    return "DockerConfig" + byRegistry.keySet();
  }
}
