package dev.freshet.receive;

/**
 * Observes what the receivers did, per source and outcome. The operator maps it onto Micrometer
 * counters; {@link ReceiverCounters} keeps plain in-memory counts.
 */
public interface ReceiverListener {

  /** Called once per request. {@code source} is the route's source, or {@code "unrouted"}. */
  void requestHandled(String source, Outcome outcome, int status);

  /**
   * Called once per event of an accepted request that did not become a hint, before the answer is
   * sent.
   */
  default void ignored(String source, Ignored ignored) {}

  /** Called once per refused request that has a stable reason, after {@link #requestHandled}. */
  default void refused(String source, RefusalReason reason) {}

  /**
   * Called when the sink threw while handling a hint; the hint is lost, the poller will catch up.
   */
  default void sinkFailed(ImageHint hint, RuntimeException failure) {}

  ReceiverListener NONE = (source, outcome, status) -> {};
}
