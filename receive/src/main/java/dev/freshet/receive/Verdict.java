package dev.freshet.receive;

import java.util.List;
import java.util.Optional;

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

  /**
   * @param why the stable reason, for refusals counted by reason (empty for the others)
   */
  record Refused(int status, String reason, Optional<RefusalReason> why) implements Verdict {
    public Refused {
      if (status < 400 || status > 499) {
        throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
      }
      java.util.Objects.requireNonNull(why, "why");
    }

    public Refused(int status, String reason) {
      this(status, reason, Optional.empty());
    }

    @Override
    public Outcome outcome() {
      return Outcome.REFUSED;
    }
  }
}
