package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.Digest;
import dev.freshet.registry.InvalidReferenceException;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.http.RegistryResponse;
import java.io.IOException;
import java.util.Optional;

/** Reading and checking what a registry returns for a manifest: digest, media type, JSON. */
final class ManifestBodies {
  /** Manifests are small; anything bigger is a misbehaving or hostile registry. */
  static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestBodies() {}

  /** The {@code Docker-Content-Digest} header, if the registry sent one. */
  static Optional<Digest> declaredDigest(String registry, RegistryResponse response) {
    Optional<String> header = response.headers().firstValue("Docker-Content-Digest");
    if (header.isEmpty() || header.get().isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Digest.parse(header.get().trim()));
    } catch (InvalidReferenceException e) {
      throw new InvalidResponseException(
          registry, "Docker-Content-Digest \"" + header.get() + "\" is not a digest");
    }
  }

  /**
   * The digest of a fetched body, checked against what we asked for and what the registry declared:
   * if either disagrees with the bytes, the registry (or something between) is not to be trusted.
   */
  static Digest verifiedDigest(
      String registry, RegistryResponse response, Optional<Digest> requested) {
    byte[] body = response.body();
    if (requested.isPresent() && !requested.get().matches(body)) {
      throw new InvalidResponseException(
          registry, response.uri() + " returned content that does not hash to " + requested.get());
    }
    Optional<Digest> declared = declaredDigest(registry, response);
    if (declared.isPresent() && !declared.get().matches(body)) {
      throw new InvalidResponseException(
          registry,
          response.uri() + " declared " + declared.get() + " but its content hashes differently");
    }
    return requested.or(() -> declared).orElseGet(() -> Digest.sha256Of(body));
  }

  static JsonNode json(String registry, RegistryResponse response) {
    try {
      JsonNode node = JSON.readTree(response.body());
      if (node == null || !node.isObject()) {
        throw new InvalidResponseException(registry, response.uri() + " returned no JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidResponseException(registry, response.uri() + " returned invalid JSON", e);
    }
  }

  /** Content-Type, else the body's own mediaType field, else "" (unknown). */
  static String mediaType(RegistryResponse response, JsonNode body) {
    Optional<String> header =
        response.headers().firstValue("Content-Type").map(MediaTypes::baseType);
    if (header.isPresent() && !header.get().isEmpty() && !header.get().equals("application/json")) {
      return header.get();
    }
    if (body != null && body.path("mediaType").isTextual()) {
      return body.get("mediaType").asText();
    }
    // An OCI index may omit mediaType; its "manifests" array gives it away.
    if (body != null && body.path("manifests").isArray()) {
      return MediaTypes.OCI_INDEX;
    }
    return header.orElse("");
  }
}
