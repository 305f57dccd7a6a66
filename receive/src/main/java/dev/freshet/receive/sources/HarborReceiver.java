package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.StaticHeader;
import java.util.Optional;
import java.util.Set;

/**
 * Harbor webhooks in the "Default" payload format: {@code PUSH_ARTIFACT} (Harbor 2) and {@code
 * pushImage} (Harbor 1). Harbor sends the webhook's configured auth header as {@code
 * Authorization}. The registry host appears only in each resource's {@code resource_url}, which has
 * no scheme.
 */
public final class HarborReceiver extends AbstractReceiver {

  private static final Set<String> PUSH_TYPES = Set.of("PUSH_ARTIFACT", "pushImage");

  private final StaticHeader authorization;

  public HarborReceiver(Secret authorization) {
    super("harbor");
    this.authorization = StaticHeader.authorization(authorization);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    authorization.check(request);
    JsonNode root = Json.object(request.body());
    String type = Json.requiredText(root, "type");
    Hints hints = new Hints(source());
    if (!PUSH_TYPES.contains(type)) {
      hints.skip("event type '" + type + "' is not a push");
      return hints.verdict();
    }
    JsonNode resources = Json.requiredArray(root, "event_data", "resources");
    Optional<String> fullName = Json.text(root, "event_data", "repository", "repo_full_name");
    String deliveryId = Hints.bodyId(request.body());
    for (JsonNode resource : resources) {
      Optional<String> url = Json.text(resource, "resource_url");
      if (url.isEmpty() || url.get().indexOf('/') <= 0) {
        hints.skip("resource without a resource_url naming the registry host");
        continue;
      }
      String host = url.get().substring(0, url.get().indexOf('/'));
      String repository = fullName.orElseGet(() -> repositoryOf(url.get()));
      hints.add(
          host, repository, Json.text(resource, "tag"), Json.text(resource, "digest"), deliveryId);
    }
    return hints.verdict();
  }

  /** {@code host/ns/repo:tag} or {@code host/ns/repo@sha256:…} → {@code ns/repo}. */
  private static String repositoryOf(String resourceUrl) {
    String path = resourceUrl.substring(resourceUrl.indexOf('/') + 1);
    int at = path.indexOf('@');
    if (at >= 0) {
      path = path.substring(0, at);
    }
    int colon = path.lastIndexOf(':');
    return colon > path.lastIndexOf('/') ? path.substring(0, colon) : path;
  }
}
