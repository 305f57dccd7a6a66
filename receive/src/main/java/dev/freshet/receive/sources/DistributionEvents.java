package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * One event in the CNCF distribution notification shape, which ACR sends too. A push by tag of a
 * manifest or index becomes a hint; blob pushes, pulls, deletes and pushes by digest are skipped.
 */
final class DistributionEvents {

  private DistributionEvents() {}

  static void collect(JsonNode event, Hints hints, String fallbackId) {
    if (!event.isObject()) {
      hints.skip("event is not an object");
      return;
    }
    String action = Json.text(event, "action").orElse("");
    if (!action.equals("push")) {
      hints.skip("action '" + action + "' is not a push");
      return;
    }
    String mediaType = Json.text(event, "target", "mediaType").orElse("");
    if (!MediaTypes.MANIFESTS.contains(mediaType)) {
      hints.skip("'" + mediaType + "' is not a manifest type");
      return;
    }
    // request.host is the name clients pushed to; source.addr is the registry instance behind it.
    Optional<String> host = Json.text(event, "request", "host");
    Optional<String> repository = Json.text(event, "target", "repository");
    if (host.isEmpty() || repository.isEmpty()) {
      hints.skip("push without request.host or target.repository");
      return;
    }
    hints.add(
        host.get(),
        repository.get(),
        Json.text(event, "target", "tag"),
        Json.text(event, "target", "digest"),
        Json.text(event, "id").orElse(fallbackId));
  }
}
