package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A spec the API server holds but Freshet cannot read, e.g. {@code replicas: 2147483648} stored
 * before the schema bounded it. It keeps what was stored and serialises back to exactly that, so
 * copies of the App (JOSDK clones each resource it hands out) stay unreadable instead of turning
 * into a spec of defaults that would be acted upon.
 */
public final class UnreadableAppSpec extends AppSpec {
  private final JsonNode stored;
  private final String reason;

  UnreadableAppSpec(JsonNode stored, String reason) {
    this.stored = stored;
    this.reason = reason;
  }

  /**
   * What is wrong, naming the field: {@code spec.replicas: Numeric value (2147483648) out of
   * range…}.
   */
  public String reason() {
    return reason;
  }

  @JsonValue
  JsonNode stored() {
    return stored;
  }
}
