package dev.freshet.receive.server;

import java.time.Duration;

/**
 * How many requests one client address may send: {@code burst} at once, then {@code perSecond}
 * sustained (a leaky bucket, Jetty's {@code DoSHandler}). Past it the client is answered {@code
 * 429} with {@code Retry-After}, before its body is read.
 *
 * <p>A registry sends its notifications from one address, so this is the rate of a registry too:
 * CNCF distribution sends one request per envelope of events (a push is one to a few), Harbor, Quay
 * and Docker Hub one per push, a pipeline one per image it built. The default leaves a busy
 * registry an order of magnitude of room while a flooding client is cut to {@code perSecond}.
 */
public record ClientRate(int perSecond, int burst) {

  /** 20 requests a second per address, after a burst of 40. */
  public static final ClientRate DEFAULT = new ClientRate(20, 40);

  public ClientRate {
    if (perSecond < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "a client rate needs at least 1 request a second and a burst of 1, not " + this);
    }
  }

  /**
   * What a refused client is told to wait: the time two requests drain from a full bucket. Refused
   * requests fill the bucket too, so a client retrying every one request's time would stay full for
   * ever; after two, its retry finds room.
   */
  public Duration retryAfter() {
    return Duration.ofSeconds(Math.max(1, (long) Math.ceil(2.0 / perSecond)));
  }
}
