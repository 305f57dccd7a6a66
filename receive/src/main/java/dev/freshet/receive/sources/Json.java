package dev.freshet.receive.sources;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.freshet.receive.Refusal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads webhook bodies into a tree and picks fields out of it. Strict where laxness could be abused
 * (duplicate keys, trailing garbage, deep nesting) and tolerant of everything a sender may add:
 * unknown fields are simply not looked at.
 */
final class Json {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(64).maxStringLength(1 << 20).build());
  }

  private Json() {}

  /** The body as a JSON object; anything else (empty, an array, not JSON) is a 400. */
  static JsonNode object(byte[] body) throws Refusal {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JacksonException e) {
      throw Refusal.malformed("body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw Refusal.malformed("body could not be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw Refusal.malformed("body must be a JSON object");
    }
    return node;
  }

  static JsonNode object(String text) throws Refusal {
    return object(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A string field at the path; absent, null or another type gives empty. Empty strings count as
   * absent.
   */
  static Optional<String> text(JsonNode node, String... path) {
    JsonNode at = at(node, path);
    return at != null && at.isTextual() && !at.textValue().isEmpty()
        ? Optional.of(at.textValue())
        : Optional.empty();
  }

  /** A required string field; its absence is a 400 naming the field. */
  static String requiredText(JsonNode node, String... path) throws Refusal {
    return text(node, path)
        .orElseThrow(
            () -> Refusal.malformed("missing string field '" + String.join(".", path) + "'"));
  }

  /** The node at the path, or null if any step is missing. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode at = node;
    for (String step : path) {
      if (at == null || !at.isObject()) {
        return null;
      }
      at = at.get(step);
    }
    return at;
  }

  /** An array field at the path; a missing field is a 400, as is a field of another type. */
  static JsonNode requiredArray(JsonNode node, String... path) throws Refusal {
    JsonNode at = at(node, path);
    if (at == null || !at.isArray()) {
      throw Refusal.malformed("missing array field '" + String.join(".", path) + "'");
    }
    return at;
  }
}
