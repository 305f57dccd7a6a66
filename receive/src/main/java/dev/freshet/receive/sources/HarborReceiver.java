package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.StaticHeader;
import java.util.Set;

/**
 * Harbor webhooks in both payload formats. "Default": {@code PUSH_ARTIFACT} (Harbor 2) and {@code
 * pushImage} (Harbor 1), the data in {@code event_data}. "CloudEvents" (Harbor 2.8+): {@code type:
 * harbor.artifact.pushed}, the same data in {@code data}, sent structured (the event in the body,
 * as {@code application/cloudevents+json} or plain {@code application/json}) or binary ({@code
 * ce-*} headers). Harbor sends the webhook's configured auth header as {@code Authorization}. The
 * registry host appears only in each resource's {@code resource_url}.
 */
public final class HarborReceiver extends AbstractReceiver {

  private static final Set<String> ACCEPTED = Set.of(MediaTypes.JSON, MediaTypes.CLOUDEVENTS);

  private final StaticHeader authorization;

  public HarborReceiver(Secret authorization) {
    super("harbor");
    this.authorization = StaticHeader.authorization(authorization);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, ACCEPTED);
    authorization.check(request);
    JsonNode root = Json.object(request.body());
    String type;
    JsonNode data;
    if (request.header("ce-specversion").isPresent()) {
      type =
          request.header("ce-type").orElseThrow(() -> Refusal.malformed("missing ce-type header"));
      data = root;
    } else if (Json.at(root, "specversion") != null) {
      type = Json.requiredText(root, "type");
      data = Json.at(root, "data");
    } else {
      type = Json.requiredText(root, "type");
      data = Json.at(root, "event_data");
    }
    Hints hints = new Hints(source());
    if (!HarborEvents.PUSH_TYPES.contains(type)) {
      hints.skip(IgnoreReason.NOT_A_PUSH, "-", "event type '" + type + "' is not a push");
      return hints.verdict();
    }
    if (data == null || !data.isObject()) {
      throw Refusal.malformed("a push event without its data object");
    }
    HarborEvents.collect(data, hints, Hints.bodyId(request.body()));
    return hints.verdict();
  }
}
