package dev.freshet.receive.auth;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Refusal;

/**
 * Authentication by a header whose value the sender was configured with (distribution's {@code
 * headers}, Harbor's auth header, ACR's custom headers). There is no signature: the value is a
 * bearer secret, so it is compared in constant time and only over TLS is it worth anything.
 */
public final class StaticHeader {

  private final String headerName;
  private final Secret expected;

  public StaticHeader(String headerName, Secret expected) {
    this.headerName = headerName;
    this.expected = expected;
  }

  /**
   * The usual form: {@code Authorization: <value>}, the value exactly as configured at the sender.
   */
  public static StaticHeader authorization(Secret expected) {
    return new StaticHeader("Authorization", expected);
  }

  public void check(InboundRequest request) throws Refusal {
    String presented = request.header(headerName).orElse(null);
    if (presented == null) {
      throw Refusal.unauthorized("missing " + headerName + " header");
    }
    if (!expected.matches(presented)) {
      throw Refusal.unauthorized("wrong " + headerName + " header");
    }
  }
}
