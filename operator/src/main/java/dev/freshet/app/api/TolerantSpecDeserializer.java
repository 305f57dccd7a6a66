package dev.freshet.app.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads an App's spec, or, when its content cannot be read into {@link AppSpec}, keeps it as an
 * {@link UnreadableAppSpec} that says why. Only the spec is read this way: metadata and status are
 * the API server's and Freshet's own.
 */
final class TolerantSpecDeserializer extends StdDeserializer<AppSpec> {

  TolerantSpecDeserializer() {
    super(AppSpec.class);
  }

  @Override
  public AppSpec deserialize(JsonParser parser, DeserializationContext context) throws IOException {
    JsonNode stored = context.readTree(parser);
    try {
      return context.readTreeAsValue(stored, AppSpec.class);
    } catch (JsonProcessingException e) {
      return new UnreadableAppSpec(stored, describe(e));
    }
  }

  /** "spec.ports[0].containerPort: <what Jackson says>", without Jackson's source locations. */
  static String describe(JsonProcessingException e) {
    String path = "spec";
    if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
      path +=
          mapping.getPath().stream()
              .map(
                  r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
              .collect(Collectors.joining());
    } else if (e.getProcessor() instanceof JsonParser failed) {
      path += failed.getParsingContext().pathAsPointer().toString().replace('/', '.');
    }
    return path + ": " + e.getOriginalMessage();
  }
}
