package dev.freshet.receive.sources;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.StaticHeader;
import java.util.Set;

/**
 * Azure Container Registry webhooks: one distribution-shaped event, no envelope, {@code
 * application/json}. ACR adds no headers of its own, so authentication is a custom header set on
 * the webhook ({@code az acr webhook create --headers "Authorization=<secret>"}).
 */
public final class AcrReceiver extends AbstractReceiver {

  private final StaticHeader authorization;

  public AcrReceiver(Secret authorization) {
    super("acr");
    this.authorization = StaticHeader.authorization(authorization);
  }

  @Override
  Verdict handle(InboundRequest request) throws Refusal {
    MediaTypes.require(request, Set.of(MediaTypes.JSON));
    authorization.check(request);
    Hints hints = new Hints(source());
    DistributionEvents.collect(Json.object(request.body()), hints, Hints.bodyId(request.body()));
    return hints.verdict();
  }
}
