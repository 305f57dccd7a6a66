package dev.freshet.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.UnauthorizedException;
import dev.freshet.registry.UnreachableException;
import java.io.IOException;

/**
 * Turns a final non-2xx answer into its typed error, with the registry's own words in the message.
 */
final class ErrorResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ErrorResponses() {}

  static RegistryException toException(RegistryCall call, int status, byte[] body, int attempts) {
    String detail = describe(call, status, body);
    if (status >= 500) {
      return new UnreachableException(
          call.registry(), detail + " (gave up after " + attempts + " attempts)");
    }
    return switch (status) {
      case 401, 403 -> new UnauthorizedException(call.registry(), detail);
      case 404 -> new NotFoundException(call.registry(), detail);
      default -> new InvalidResponseException(call.registry(), detail);
    };
  }

  /** "GET …/manifests/v1 answered 404: MANIFEST_UNKNOWN manifest unknown" — for conditions. */
  private static String describe(RegistryCall call, int status, byte[] body) {
    StringBuilder text =
        new StringBuilder(call.method())
            .append(' ')
            .append(call.uri())
            .append(" answered ")
            .append(status);
    try {
      JsonNode errors = body.length == 0 ? null : JSON.readTree(body).get("errors");
      if (errors != null && errors.isArray() && errors.size() > 0) {
        JsonNode first = errors.get(0);
        text.append(": ").append(first.path("code").asText("")).append(' ');
        text.append(first.path("message").asText(""));
      }
    } catch (IOException | RuntimeException e) {
      // not the registry's JSON error format; the status says enough
    }
    return text.toString().trim();
  }
}
