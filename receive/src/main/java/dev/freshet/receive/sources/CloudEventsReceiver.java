package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.auth.StaticHeader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * CloudEvents 1.0 over HTTP, structured mode ({@code application/cloudevents+json}, the event in
 * the body) and binary mode ({@code ce-*} headers, the data in the body as {@code
 * application/json}). CloudEvents defines no authentication, so a configured {@code Authorization}
 * header is required.
 *
 * <p>Events whose {@code type} mentions a push are read with the convention peers use (Argo CD
 * Image Updater, EventBridge transformers of ECR events): {@code data.repository|repositoryName},
 * {@code data.tag|imageTag}, {@code data.digest|imageDigest}, {@code data.registry|registryUrl},
 * with {@code subject: "<repo>:<tag>"} as fallback and the ECR host built from an {@code
 * urn:aws:ecr:…} source. {@code source} + {@code id} identify an event, so repeats are dropped.
 */
public final class CloudEventsReceiver extends AbstractReceiver {

  private static final Set<String> ACCEPTED = Set.of(MediaTypes.CLOUDEVENTS, MediaTypes.JSON);

  private final StaticHeader authorization;
  private final SeenCache events;

  public CloudEventsReceiver(Secret authorization, SeenCache events) {
    super("cloudevents");
    this.authorization = StaticHeader.authorization(authorization);
    this.events = events;
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    String mediaType = MediaTypes.require(request, ACCEPTED);
    authorization.check(request);
    // Some senders (Harbor among them) send a structured event as plain application/json: without
    // the ce-* headers of binary mode, a body carrying specversion is read as the event it is.
    Event event =
        mediaType.equals(MediaTypes.CLOUDEVENTS) || request.header("ce-specversion").isEmpty()
            ? structured(request, mediaType)
            : binary(request);
    if (!"1.0".equals(event.specVersion)) {
      throw Refusal.malformed("specversion must be 1.0");
    }
    Hints hints = new Hints(source());
    if (!event.type.toLowerCase(Locale.ROOT).contains("push")) {
      hints.skip(
          IgnoreReason.NOT_A_PUSH,
          "-",
          "event type '" + Hints.abbreviate(event.type) + "' is not a push");
      return hints.verdict();
    }
    collect(event, hints);
    if (!events.firstSighting(event.source + "\n" + event.id)) {
      Hints repeat = new Hints(source());
      repeat.skip(
          IgnoreReason.REPEATED,
          "-",
          "event " + event.id + " from " + event.source + " was already received");
      return repeat.verdict();
    }
    return hints.verdict();
  }

  private record Event(
      String specVersion,
      String id,
      String source,
      String type,
      Optional<String> subject,
      JsonNode data) {}

  private static Event structured(InboundRequest request, String mediaType) throws Refusal {
    JsonNode root = Json.object(request.body());
    if (!mediaType.equals(MediaTypes.CLOUDEVENTS) && Json.at(root, "specversion") == null) {
      throw Refusal.unsupportedMediaType(
          "application/json needs the ce-* headers of binary mode, or a body carrying"
              + " specversion; structured mode is "
              + MediaTypes.CLOUDEVENTS);
    }
    JsonNode data = Json.at(root, "data");
    Optional<String> base64 = Json.text(root, "data_base64");
    if (data == null && base64.isPresent()) {
      try {
        data = Json.object(Base64.getDecoder().decode(base64.get()));
      } catch (IllegalArgumentException e) {
        throw Refusal.malformed("data_base64 is not base64");
      }
    }
    return new Event(
        Json.requiredText(root, "specversion"),
        Json.requiredText(root, "id"),
        Json.requiredText(root, "source"),
        Json.requiredText(root, "type"),
        Json.text(root, "subject"),
        data);
  }

  private static Event binary(InboundRequest request) throws Refusal {
    String specVersion = required(request, "ce-specversion");
    JsonNode data = request.body().length == 0 ? null : Json.object(request.body());
    return new Event(
        specVersion,
        required(request, "ce-id"),
        required(request, "ce-source"),
        required(request, "ce-type"),
        request.header("ce-subject").filter(s -> !s.isEmpty()),
        data);
  }

  private static String required(InboundRequest request, String header) throws Refusal {
    return request
        .header(header)
        .filter(s -> !s.isEmpty())
        .orElseThrow(() -> Refusal.malformed("missing " + header + " header"));
  }

  private static void collect(Event event, Hints hints) throws Refusal {
    JsonNode data = event.data;
    if (HarborEvents.isHarborData(data)) {
      HarborEvents.collect(data, hints, event.source + "/" + event.id);
      return;
    }
    Optional<String> subjectRepo =
        event.subject.filter(s -> s.indexOf(':') > 0).map(s -> s.substring(0, s.lastIndexOf(':')));
    Optional<String> subjectTag =
        event.subject.filter(s -> s.indexOf(':') > 0).map(s -> s.substring(s.lastIndexOf(':') + 1));
    Optional<String> repository =
        Json.text(data, "repository")
            .or(() -> Json.text(data, "repositoryName"))
            .or(() -> subjectRepo);
    Optional<String> tag =
        Json.text(data, "tag").or(() -> Json.text(data, "imageTag")).or(() -> subjectTag);
    Optional<String> digest = Json.text(data, "digest").or(() -> Json.text(data, "imageDigest"));
    if (repository.isEmpty()) {
      hints.skip(
          IgnoreReason.NO_REPOSITORY,
          tag.map(t -> "?:" + t).orElse("-"),
          "event " + event.id + " names no repository");
      return;
    }
    Optional<String> registry =
        Json.text(data, "registry")
            .or(() -> Json.text(data, "registryUrl"))
            .map(r -> ImageNames.withoutScheme(r).replaceFirst("/.*$", ""))
            .or(() -> ecrRegistry(event.source, Json.text(data, "registryId")))
            .or(() -> urlHost(event.source));
    String image = registry.map(r -> r + "/" + repository.get()).orElse(repository.get());
    ImageNames.Name name;
    try {
      name = ImageNames.split(image);
    } catch (IllegalArgumentException e) {
      hints.skip(IgnoreReason.INVALID_NAME, image, e.getMessage());
      return;
    }
    if (registry.isEmpty() && !image.startsWith(name.registry() + "/")) {
      // A bare repository would silently become a Docker Hub name; without a registry it means
      // nothing.
      hints.skip(
          IgnoreReason.NO_REGISTRY,
          repository.get() + tag.map(t -> ":" + t).orElse(""),
          "event " + event.id + " names no registry, and its source is not a URL");
      return;
    }
    hints.add(name.registry(), name.repository(), tag, digest, event.source + "/" + event.id);
  }

  /**
   * The host of a {@code source} that is an absolute http(s) URL ({@code
   * https://registry.example.com/events}): a sender that names its repository but not its registry
   * usually says who it is there. Anything else (a path, a URN) names no host.
   */
  private static Optional<String> urlHost(String source) {
    try {
      URI uri = new URI(source);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("https") || scheme.equalsIgnoreCase("http"))
          || uri.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of(uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * {@code urn:aws:ecr:<region>:<account>:repository/<name>} → {@code
   * <account>.dkr.ecr.<region>.amazonaws.com}.
   */
  private static Optional<String> ecrRegistry(String source, Optional<String> registryId) {
    String[] parts = source.split(":");
    if (parts.length >= 5
        && (parts[0].equals("urn") || parts[0].equals("arn"))
        && parts[1].equals("aws")
        && parts[2].equals("ecr")
        && !parts[3].isEmpty()) {
      String account = registryId.orElse(parts[4]);
      return account.isEmpty()
          ? Optional.empty()
          : Optional.of(account + ".dkr.ecr." + parts[3] + ".amazonaws.com");
    }
    return Optional.empty();
  }
}
