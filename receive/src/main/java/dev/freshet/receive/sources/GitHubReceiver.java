package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Hmac;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * GitHub {@code package} and (older) {@code registry_package} webhook events for GHCR.
 * Authenticated by {@code X-Hub-Signature-256}, an HMAC-SHA256 of the raw body. GitHub signs no
 * timestamp, so a captured delivery could be replayed: deliveries are de-duplicated on {@code
 * X-GitHub-Delivery}, and a replay at worst causes one extra registry check anyway.
 *
 * <p>GHCR names are lower-case, while payloads keep GitHub's casing ({@code DingGGu/UtaiteBOX}), so
 * the repository is lower-cased. A multi-arch push fires once per platform manifest with an empty
 * tag; those are skipped, and only the tagged event becomes a hint.
 */
public final class GitHubReceiver extends AbstractReceiver {

  public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
  public static final String EVENT_HEADER = "X-GitHub-Event";
  public static final String DELIVERY_HEADER = "X-GitHub-Delivery";

  private static final Set<String> PACKAGE_EVENTS = Set.of("package", "registry_package");
  private static final Set<String> PUBLISH_ACTIONS =
      Set.of("published", "updated", "create", "created");
  private static final Set<String> CONTAINER_TYPES = Set.of("container", "docker");
  private static final String GHCR = "ghcr.io";

  private final Secret secret;
  private final SeenCache deliveries;

  public GitHubReceiver(Secret secret, SeenCache deliveries) {
    super("github");
    this.secret = secret;
    this.deliveries = deliveries;
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    String signature =
        request
            .header(SIGNATURE_HEADER)
            .orElseThrow(() -> Refusal.unauthorized("missing " + SIGNATURE_HEADER + " header"));
    if (!Hmac.verify(secret, signature, request.body())) {
      throw Refusal.unauthorized(SIGNATURE_HEADER + " does not match the body");
    }
    String event =
        request
            .header(EVENT_HEADER)
            .orElseThrow(() -> Refusal.malformed("missing " + EVENT_HEADER + " header"));
    Hints hints = new Hints(source());
    if (!PACKAGE_EVENTS.contains(event)) {
      hints.skip(IgnoreReason.NOT_A_PUSH, "-", "event '" + event + "' is not a package event");
      return hints.verdict();
    }
    JsonNode root = Json.object(request.body());
    String deliveryId =
        request.header(DELIVERY_HEADER).orElseGet(() -> Hints.bodyId(request.body()));
    collect(root, event, deliveryId, hints);
    // Recorded only once the body was understood, so a delivery GitHub retries after a refusal
    // still counts.
    if (!deliveries.firstSighting(deliveryId)) {
      Hints repeat = new Hints(source());
      repeat.skip(IgnoreReason.REPEATED, "-", "delivery " + deliveryId + " was already received");
      return repeat.verdict();
    }
    return hints.verdict();
  }

  private void collect(JsonNode root, String event, String deliveryId, Hints hints) throws Refusal {
    String action = Json.text(root, "action").orElse("");
    if (!PUBLISH_ACTIONS.contains(action)) {
      hints.skip(IgnoreReason.NOT_A_PUSH, "-", "action '" + action + "' is not a publish");
      return;
    }
    JsonNode pkg = Json.at(root, event.equals("package") ? "package" : "registry_package");
    if (pkg == null || !pkg.isObject()) {
      throw Refusal.malformed("missing object field '" + event + "'");
    }
    // Either field may say so: example payloads disagree with themselves (ecosystem docker, type
    // npm).
    if (!isContainer(pkg, "ecosystem") && !isContainer(pkg, "package_type")) {
      hints.skip(
          IgnoreReason.NOT_AN_IMAGE,
          Json.text(pkg, "name").orElse("-"),
          "package is not a container image");
      return;
    }
    Optional<String> location = location(pkg);
    if (location.isEmpty()) {
      hints.skip(
          IgnoreReason.NO_REPOSITORY,
          Json.text(pkg, "name").orElse("-"),
          "package names no image location");
      return;
    }
    ImageNames.Name name;
    try {
      name = ImageNames.split(location.get().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      hints.skip(IgnoreReason.INVALID_NAME, location.get(), e.getMessage());
      return;
    }
    JsonNode version = Json.at(pkg, "package_version");
    Optional<String> tag;
    Optional<String> digest;
    if (Json.at(version, "container_metadata") != null) {
      tag = Json.text(version, "container_metadata", "tag", "name");
      digest =
          Json.text(version, "container_metadata", "tag", "digest")
              .or(() -> Json.text(version, "name").filter(n -> n.startsWith("sha256:")));
    } else {
      // The 2019 registry_package shape: the tag is the version, and no manifest digest is given.
      tag = Json.text(version, "version").filter(v -> !v.startsWith("sha256:"));
      digest = Optional.empty();
    }
    hints.add(name.registry(), name.repository(), tag, digest, deliveryId);
  }

  private static boolean isContainer(JsonNode pkg, String field) {
    return Json.text(pkg, field)
        .map(t -> CONTAINER_TYPES.contains(t.toLowerCase(Locale.ROOT)))
        .orElse(false);
  }

  /**
   * Where the image lives, as {@code host/owner/name}. {@code package_url} is the most direct; the
   * old shape has it only in {@code registry.url}; otherwise namespace (or owner) and name on
   * ghcr.io.
   */
  private static Optional<String> location(JsonNode pkg) {
    Optional<String> fromUrl =
        Json.text(pkg, "package_version", "package_url")
            .map(ImageNames::withoutScheme)
            .map(GitHubReceiver::stripReference);
    if (fromUrl.isPresent()) {
      return fromUrl;
    }
    Optional<String> registryUrl =
        Json.text(pkg, "registry", "url")
            .map(u -> u.replaceFirst("^[a-zA-Z]+://", ""))
            .filter(u -> u.chars().filter(c -> c == '/').count() >= 2);
    if (registryUrl.isPresent()) {
      return registryUrl;
    }
    Optional<String> owner = Json.text(pkg, "namespace").or(() -> Json.text(pkg, "owner", "login"));
    Optional<String> name = Json.text(pkg, "name");
    return owner.isPresent() && name.isPresent()
        ? Optional.of(GHCR + "/" + owner.get() + "/" + name.get())
        : Optional.empty();
  }

  /** {@code ghcr.io/o/n:tag} or {@code ghcr.io/o/n@sha256:…} → {@code ghcr.io/o/n}. */
  private static String stripReference(String url) {
    String s = url;
    int at = s.indexOf('@');
    if (at >= 0) {
      s = s.substring(0, at);
    }
    int colon = s.lastIndexOf(':');
    return colon > s.lastIndexOf('/') ? s.substring(0, colon) : s;
  }
}
