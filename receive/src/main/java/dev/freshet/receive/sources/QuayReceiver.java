package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
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
    String dockerUrl = Json.requiredText(root, "docker_url");
    JsonNode tags = Json.requiredArray(root, "updated_tags");
    Hints hints = new Hints(source());
    ImageNames.Name name;
    try {
      name = ImageNames.split(dockerUrl);
    } catch (IllegalArgumentException e) {
      hints.skip(e.getMessage());
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
      hints.skip(dockerUrl + ": no updated tags");
    }
    return hints.verdict();
  }
}
