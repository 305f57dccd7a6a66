package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import java.util.Optional;

/**
 * One event in the CNCF distribution notification shape, which ACR sends too. A push by tag of a
 * manifest or index becomes a hint; blob pushes, pulls, deletes and pushes by digest are skipped.
 */
final class DistributionEvents {

  private DistributionEvents() {}

  static void collect(JsonNode event, Hints hints, String fallbackId) {
    if (!event.isObject()) {
      hints.skip(IgnoreReason.NOT_A_PUSH, "-", "event is not an object");
      return;
    }
    // request.host is the name clients pushed to; source.addr is the registry instance behind it.
    Optional<String> host = Json.text(event, "request", "host").map(ImageNames::withoutScheme);
    Optional<String> repository = Json.text(event, "target", "repository");
    Optional<String> tag = Json.text(event, "target", "tag");
    String image =
        host.orElse("?") + "/" + repository.orElse("?") + tag.map(t -> ":" + t).orElse("");
    String action = Json.text(event, "action").orElse("");
    if (!action.equals("push")) {
      hints.skip(IgnoreReason.NOT_A_PUSH, image, "action '" + action + "' is not a push");
      return;
    }
    Optional<String> mediaType = Json.text(event, "target", "mediaType");
    // Only manifests are pushed by tag, so a tagged push is one even when the sender leaves the
    // media type out (ACR's webhook documents no mediaType for some pushes); a blob push has none
    // of either and is skipped as untagged below.
    if (mediaType.isPresent() && !MediaTypes.MANIFESTS.contains(mediaType.get())) {
      hints.skip(
          IgnoreReason.NOT_AN_IMAGE, image, "'" + mediaType.get() + "' is not a manifest type");
      return;
    }
    if (host.isEmpty()) {
      hints.skip(IgnoreReason.NO_REGISTRY, image, "push without request.host");
      return;
    }
    if (repository.isEmpty()) {
      hints.skip(IgnoreReason.NO_REPOSITORY, image, "push without target.repository");
      return;
    }
    hints.add(
        host.get(),
        repository.get(),
        tag,
        Json.text(event, "target", "digest"),
        Json.text(event, "id").orElse(fallbackId));
  }
}
