package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.GoogleOidcToken;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;

/**
 * Google Artifact Registry notifications, delivered by a Pub/Sub push subscription on the {@code
 * gcr} topic. The body is the push envelope {@code {"message": {"data": <base64>, "messageId": …},
 * "subscription": …}}; the data is {@code {"action": "INSERT", "digest": "<host>/<repo>@sha256:…",
 * "tag": "<host>/<repo>:<tag>"}}, full references rather than bare values. A subscription set to
 * deliver the data "unwrapped" sends that object as the body, which is read too. Authenticated by
 * the Google-signed OIDC token of the push ({@link GoogleOidcToken}).
 */
public final class ArtifactRegistryReceiver extends AbstractReceiver {

  private final GoogleOidcToken token;

  public ArtifactRegistryReceiver(GoogleOidcToken token) {
    super("gar");
    this.token = token;
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    token.check(request);
    JsonNode root = Json.object(request.body());
    JsonNode notification;
    String deliveryId;
    if (Json.at(root, "message") != null) {
      String data = Json.requiredText(root, "message", "data");
      try {
        notification = Json.object(Base64.getDecoder().decode(data));
      } catch (IllegalArgumentException e) {
        throw Refusal.malformed("message.data is not base64");
      }
      deliveryId =
          Json.text(root, "message", "messageId")
              .or(() -> Json.text(root, "message", "message_id"))
              .orElseGet(() -> Hints.bodyId(request.body()));
    } else {
      notification = root;
      deliveryId = Hints.bodyId(request.body());
    }
    Hints hints = new Hints(source());
    Optional<String> tagRef = Json.text(notification, "tag").map(ImageNames::withoutScheme);
    Optional<String> digestRef = Json.text(notification, "digest").map(ImageNames::withoutScheme);
    String image = tagRef.or(() -> digestRef).orElse("-");
    String action = Json.text(notification, "action").orElse("");
    if (!action.equals("INSERT")) {
      hints.skip(IgnoreReason.NOT_A_PUSH, image, "action '" + action + "' is not INSERT");
      return hints.verdict();
    }
    if (tagRef.isEmpty()) {
      if (digestRef.isEmpty()) {
        hints.skip(IgnoreReason.NO_REPOSITORY, image, "INSERT naming neither tag nor digest");
      } else {
        hints.skip(IgnoreReason.UNTAGGED, image, "pushed by digest, with no tag");
      }
      return hints.verdict();
    }
    int colon = tagRef.get().lastIndexOf(':');
    if (colon <= tagRef.get().lastIndexOf('/')) {
      hints.skip(IgnoreReason.INVALID_NAME, image, "tag is not a <image>:<tag> reference");
      return hints.verdict();
    }
    String repositoryRef = tagRef.get().substring(0, colon);
    ImageNames.Name name;
    try {
      name = ImageNames.split(repositoryRef);
    } catch (IllegalArgumentException e) {
      hints.skip(IgnoreReason.INVALID_NAME, image, e.getMessage());
      return hints.verdict();
    }
    // The digest reference names the same image; only its digest part is a digest.
    Optional<String> digest =
        digestRef
            .filter(d -> d.startsWith(repositoryRef + "@"))
            .map(d -> d.substring(repositoryRef.length() + 1));
    hints.add(
        name.registry(),
        name.repository(),
        Optional.of(tagRef.get().substring(colon + 1)),
        digest,
        deliveryId);
    return hints.verdict();
  }
}
