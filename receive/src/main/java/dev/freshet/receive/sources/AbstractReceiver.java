package dev.freshet.receive.sources;

import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.Refusal;
import dev.freshet.receive.Verdict;

/**
 * Turns the {@link Refusal} a source throws into its verdict. Only refusals are caught: any other
 * exception is a bug in the parser, and the fuzz test is there to find it.
 */
abstract class AbstractReceiver implements Receiver {

  private final String source;

  AbstractReceiver(String source) {
    this.source = source;
  }

  @Override
  public final String source() {
    return source;
  }

  @Override
  public final Verdict receive(InboundRequest request) {
    try {
      return handle(request);
    } catch (Refusal refusal) {
      return refusal.verdict();
    }
  }

  /**
   * Checks media type, then authenticity, then parses: nothing is parsed for an unauthenticated
   * sender.
   */
  abstract Verdict handle(InboundRequest request) throws Refusal;
}
