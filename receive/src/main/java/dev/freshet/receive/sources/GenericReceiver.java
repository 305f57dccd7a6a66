package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Freshet's own form, for CI pipelines and {@code freshet notify}: {@code {"image": "host/repo",
 * "tag": "…", "digest": "sha256:…"}} (digest optional), signed as described in {@link
 * GenericSignature}. Unlike registry webhooks this one is refused when its content is unusable (a
 * bad tag or digest is a 400), because its sender is a script that should fail loudly.
 */
public final class GenericReceiver extends AbstractReceiver {

  private final GenericSignature.Verifier verifier;

  /**
   * @param signatures remembers signatures already used, so an identical request is refused as a
   *     replay; its time to live should cover the replay window on both sides
   */
  public GenericReceiver(Secret secret, Clock clock, SeenCache signatures) {
    super("generic");
    this.verifier =
        new GenericSignature.Verifier(secret, clock, GenericSignature.REPLAY_WINDOW, signatures);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    verifier.verify(request);
    JsonNode root = Json.object(request.body());
    String image = Json.requiredText(root, "image");
    String tag = Json.requiredText(root, "tag");
    Optional<String> digest = Json.text(root, "digest");
    ImageNames.Name name;
    try {
      name = ImageNames.split(image);
    } catch (IllegalArgumentException e) {
      throw Refusal.malformed("image: " + e.getMessage());
    }
    if (!ImageNames.isTag(tag)) {
      throw Refusal.malformed("tag is not a valid tag: " + Hints.abbreviate(tag));
    }
    if (digest.isPresent() && !ImageNames.isDigest(digest.get())) {
      throw Refusal.malformed(
          "digest must be sha256:<64 hex digits>, not " + Hints.abbreviate(digest.get()));
    }
    Hints hints = new Hints(source());
    String deliveryId = request.header(GenericSignature.SIGNATURE_HEADER).orElseThrow();
    hints.add(name.registry(), name.repository(), Optional.of(tag), digest, deliveryId);
    return hints.verdict();
  }
}
