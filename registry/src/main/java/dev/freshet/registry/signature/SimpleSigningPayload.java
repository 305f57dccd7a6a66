package dev.freshet.registry.signature;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The payload of a classic cosign signature ("simple signing"): JSON whose {@code
 * critical.image.docker-manifest-digest} names the digest signed. The signature covers the payload
 * bytes, so the digest inside them is what was signed, whatever tag the signature sits under.
 *
 * @param digest the signed manifest digest, {@code sha256:…}
 */
public record SimpleSigningPayload(String digest) {
  static final String TYPE = "cosign container image signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IllegalArgumentException when the bytes are not a simple-signing payload
   */
  public static SimpleSigningPayload parse(byte[] payload) {
    JsonNode root;
    try {
      root = JSON.readTree(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the signed payload is not JSON");
    } catch (IOException e) {
      throw new IllegalArgumentException("the signed payload cannot be read");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("the signed payload is not a JSON object");
    }
    JsonNode critical = root.path("critical");
    String type = critical.path("type").asText("");
    if (!type.equalsIgnoreCase(TYPE)) {
      throw new IllegalArgumentException(
          "the signed payload's critical.type is \"" + shorten(type) + "\", not \"" + TYPE + "\"");
    }
    JsonNode digest = critical.path("image").path("docker-manifest-digest");
    if (!digest.isTextual() || digest.asText().isEmpty()) {
      throw new IllegalArgumentException(
          "the signed payload names no critical.image.docker-manifest-digest");
    }
    return new SimpleSigningPayload(digest.asText());
  }

  static String shorten(String text) {
    return text.length() > 80 ? text.substring(0, 80) + "…" : text;
  }
}
