package dev.freshet.receive;

/**
 * One webhook source: checks that a request is authentic and well-formed, and turns it into hints.
 * Implementations never throw on bad input; every problem is a {@link Verdict.Refused}.
 */
public interface Receiver {

  /** The name used in hints and counters, e.g. {@code github}. */
  String source();

  Verdict receive(InboundRequest request);
}
