package dev.freshet.receive;

import java.util.List;

/**
 * What a receiver decided about one request. A refusal carries the HTTP status the sender gets and
 * a reason it can act on; nothing from a refused request reaches the sink. An acceptance may carry
 * no hints at all (a pull event, an untagged push, a repeated delivery): the sender is told 202 so
 * it does not retry, and {@code ignored} says why each event led nowhere.
 */
public sealed interface Verdict {

  /** The outcome counted by {@link ReceiverListener}. */
  Outcome outcome();

  int status();

  record Accepted(List<ImageHint> hints, List<Ignored> ignored) implements Verdict {
    public Accepted {
      hints = List.copyOf(hints);
      ignored = List.copyOf(ignored);
    }

    /** Each ignored event as answered: {@code image: detail [reason]}. */
    public List<String> skipped() {
      return ignored.stream().map(Ignored::toString).toList();
    }

    @Override
    public Outcome outcome() {
      return hints.isEmpty() ? Outcome.IGNORED : Outcome.ACCEPTED;
    }

    @Override
    public int status() {
      return 202;
    }
  }

  record Refused(int status, String reason) implements Verdict {
    public Refused {
      if (status < 400 || status > 499) {
        throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
      }
    }

    @Override
    public Outcome outcome() {
      return Outcome.REFUSED;
    }
  }
}
