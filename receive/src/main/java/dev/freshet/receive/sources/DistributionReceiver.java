package dev.freshet.receive.sources;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.StaticHeader;
import java.util.Set;

/**
 * CNCF distribution (registry v2/v3, and what GitLab and others embed) {@code notifications}: an
 * envelope {@code {"events": [...]}} with media type {@code …events.v1+json} (v2.x) or {@code
 * …events.v2+json} (v3). Authenticated by the header configured in the registry's {@code
 * notifications.endpoints[].headers}, conventionally {@code Authorization: Bearer <token>}.
 *
 * <p>An envelope whose events are all uninteresting is accepted, not refused: the registry retries
 * a refused delivery until it succeeds, and one event it cannot get rid of would back its queue up.
 */
public final class DistributionReceiver extends AbstractReceiver {

  private static final Set<String> ACCEPTED =
      Set.of(MediaTypes.DISTRIBUTION_EVENTS_V1, MediaTypes.DISTRIBUTION_EVENTS_V2, MediaTypes.JSON);

  private final StaticHeader authorization;

  /**
   * @param authorization the whole {@code Authorization} header value, e.g. {@code Bearer <token>}
   */
  public DistributionReceiver(Secret authorization) {
    super("distribution");
    this.authorization = StaticHeader.authorization(authorization);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, ACCEPTED);
    authorization.check(request);
    JsonNode envelope = Json.object(request.body());
    JsonNode events = Json.requiredArray(envelope, "events");
    Hints hints = new Hints(source());
    String bodyId = Hints.bodyId(request.body());
    for (JsonNode event : events) {
      DistributionEvents.collect(event, hints, bodyId);
    }
    return hints.verdict();
  }
}
