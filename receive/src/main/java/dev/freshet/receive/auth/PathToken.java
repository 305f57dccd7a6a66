package dev.freshet.receive.auth;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;

/**
 * Authentication by a secret last path segment ({@code /hooks/dockerhub/<token>}), for senders that
 * can neither sign nor send a custom header (Docker Hub, Quay). The URL is the secret: it must be
 * long, random, and served over TLS. Only the last segment is looked at, so the route's prefix is
 * the server's choice.
 */
public final class PathToken {

  private final Secret token;

  public PathToken(Secret token) {
    this.token = token;
  }

  public void check(InboundRequest request) throws Refusal {
    String path = request.path();
    String last = path.substring(path.lastIndexOf('/') + 1);
    if (last.isEmpty()) {
      throw Refusal.unauthorized("missing token: the URL must end in /<token>");
    }
    if (!token.matches(last)) {
      throw Refusal.unauthorized("wrong token in the URL");
    }
  }
}
