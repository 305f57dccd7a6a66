package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.PathToken;
import dev.freshet.receive.auth.Secret;
import java.util.Optional;
import java.util.Set;

/**
 * Quay "repository push" notifications: {@code docker_url} (host and repository) and {@code
 * updated_tags}; no digest and no signature, so the secret is the last path segment of the URL.
 */
public final class QuayReceiver extends AbstractReceiver {

  private final PathToken token;

  public QuayReceiver(Secret token) {
    super("quay");
    this.token = new PathToken(token);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    token.check(request);
    JsonNode root = Json.object(request.body());
    JsonNode tags = Json.requiredArray(root, "updated_tags");
    Hints hints = new Hints(source());
    // Quay installations are configured with their URL, and some send docker_url as one
    // (https://quay.example.com/org/repo): the scheme and a trailing slash are not part of the
    // name.
    Optional<String> dockerUrl = Json.text(root, "docker_url").map(ImageNames::withoutScheme);
    if (dockerUrl.isEmpty()) {
      hints.skip(IgnoreReason.NO_REPOSITORY, "-", "no docker_url");
      return hints.verdict();
    }
    ImageNames.Name name;
    try {
      name = ImageNames.split(dockerUrl.get());
    } catch (IllegalArgumentException e) {
      hints.skip(IgnoreReason.INVALID_NAME, dockerUrl.get(), e.getMessage());
      return hints.verdict();
    }
    String deliveryId = Hints.bodyId(request.body());
    for (JsonNode tag : tags) {
      Optional<String> value =
          tag.isTextual() && !tag.textValue().isEmpty()
              ? Optional.of(tag.textValue())
              : Optional.empty();
      hints.add(name.registry(), name.repository(), value, Optional.empty(), deliveryId);
    }
    if (tags.isEmpty()) {
      hints.skip(IgnoreReason.UNTAGGED, dockerUrl.get(), "no updated tags");
    }
    return hints.verdict();
  }
}
