package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.RefusalReason;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.JwtVerification;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.auth.oidc.PipelineTokens;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;

/**
 * Freshet's own form, for CI pipelines and {@code freshet notify}: {@code {"image": "host/repo",
 * "tag": "…", "digest": "sha256:…"}} (digest optional), authenticated in one of two ways: signed
 * with the shared secret as described in {@link GenericSignature}, or carrying the CI job's OIDC
 * token as {@code Authorization: Bearer}, whose claims decide which images the pipeline may
 * announce ({@link PipelineTokens}; a 403 otherwise). Unlike registry webhooks this one is refused
 * when its content is unusable (a bad tag or digest is a 400), because its sender is a script that
 * should fail loudly.
 */
public final class GenericReceiver extends AbstractReceiver {

  private final Optional<GenericSignature.Verifier> verifier;
  private final Optional<PipelineTokens> pipelines;

  /**
   * @param signatures remembers signatures already used, so an identical request is refused as a
   *     replay; its time to live should cover the replay window on both sides
   */
  public GenericReceiver(Secret secret, Clock clock, SeenCache signatures) {
    this(Optional.of(secret), Optional.empty(), clock, signatures);
  }

  /**
   * Accepts HMAC-signed requests if {@code hmac} is given, and pipeline tokens if {@code pipelines}
   * is; at least one of them.
   */
  public GenericReceiver(
      Optional<Secret> hmac,
      Optional<PipelineTokens> pipelines,
      Clock clock,
      SeenCache signatures) {
    super("generic");
    if (hmac.isEmpty() && pipelines.isEmpty()) {
      throw new IllegalArgumentException("the generic form needs an HMAC secret or an oidc policy");
    }
    this.verifier =
        hmac.map(
            secret ->
                new GenericSignature.Verifier(
                    secret, clock, GenericSignature.REPLAY_WINDOW, signatures));
    this.pipelines = pipelines;
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    Optional<PipelineTokens.Pipeline> pipeline = authenticate(request);
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
    if (pipeline.isPresent()) {
      pipeline.get().requireAllowed(name.registry(), name.repository(), tag);
    }
    Hints hints = new Hints(source());
    String deliveryId =
        pipeline.isPresent()
            ? "oidc:" + pipeline.get().subject()
            : request.header(GenericSignature.SIGNATURE_HEADER).orElseThrow();
    hints.add(name.registry(), name.repository(), Optional.of(tag), digest, deliveryId);
    return hints.verdict();
  }

  /** The pipeline a bearer token proves, or empty when the HMAC signature checked out. */
  private Optional<PipelineTokens.Pipeline> authenticate(InboundRequest request) throws Refusal {
    Optional<String> authorization = request.header("Authorization");
    if (authorization.isPresent() && JwtVerification.isBearer(authorization.get())) {
      if (pipelines.isEmpty()) {
        throw Refusal.unauthorized(
            RefusalReason.OIDC_NOT_ENABLED,
            "bearer tokens are not accepted here: no valid oidc policy is configured (key oidc"
                + " of Secret freshet-webhook)");
      }
      return Optional.of(pipelines.get().verify(authorization.get().substring(7).trim()));
    }
    if (verifier.isEmpty()) {
      throw Refusal.unauthorized(
          "missing Authorization: Bearer <the CI job's OIDC token> (this receiver accepts only"
              + " pipeline tokens)");
    }
    verifier.get().verify(request);
    return Optional.empty();
  }
}
