package dev.freshet.testbed.faults;

import java.time.Duration;
import java.util.Optional;

/**
 * What {@link FaultyRegistry} does to a request instead of (or on top of) passing it to the real
 * registry. Each kind has a short {@link #kind()} name, used in counts and printed figures.
 */
public sealed interface Fault {

  /** A short name of the kind, e.g. {@code 503} or {@code reset}. */
  String kind();

  /** An answer with this status and a distribution-style error body; nothing is proxied. */
  static Fault status(int code) {
    return new Status(code);
  }

  /** The connection is reset (RST) as soon as the request arrives. */
  static Fault connectionReset() {
    return new ConnectionReset();
  }

  /** The request is accepted and not answered for {@code hold}: a client sees a timeout. */
  static Fault noAnswer(Duration hold) {
    return new NoAnswer(hold);
  }

  /** The real answer, its body dripped in {@code chunks} pieces over {@code total}. */
  static Fault slowDrip(Duration total, int chunks) {
    return new SlowDrip(total, chunks);
  }

  /** {@code 429 Too Many Requests} without {@code Retry-After}. */
  static Fault tooManyRequests() {
    return new TooManyRequests(Optional.empty());
  }

  /** {@code 429} with {@code Retry-After: <seconds>}. */
  static Fault tooManyRequests(RetryAfter retryAfter) {
    return new TooManyRequests(Optional.of(retryAfter));
  }

  /** The real answer with a {@code Docker-Content-Digest} that names other bytes than the body. */
  static Fault wrongDigest() {
    return new WrongDigest();
  }

  /** {@code 200} with a manifest media type, no digest header and a body of {@code bytes}. */
  static Fault hugeBody(int bytes) {
    return new HugeBody(bytes);
  }

  /** {@code 200} with a manifest media type, no digest header and a body that is not JSON. */
  static Fault malformedBody() {
    return new MalformedBody();
  }

  record Status(int code) implements Fault {
    @Override
    public String kind() {
      return String.valueOf(code);
    }
  }

  record ConnectionReset() implements Fault {
    @Override
    public String kind() {
      return "reset";
    }
  }

  record NoAnswer(Duration hold) implements Fault {
    @Override
    public String kind() {
      return "no-answer";
    }
  }

  record SlowDrip(Duration total, int chunks) implements Fault {
    @Override
    public String kind() {
      return "slow-drip";
    }
  }

  record TooManyRequests(Optional<RetryAfter> retryAfter) implements Fault {
    @Override
    public String kind() {
      return retryAfter.map(r -> "429 " + r.form()).orElse("429 without Retry-After");
    }
  }

  record WrongDigest() implements Fault {
    @Override
    public String kind() {
      return "wrong-digest";
    }
  }

  record HugeBody(int bytes) implements Fault {
    @Override
    public String kind() {
      return "huge-body";
    }
  }

  record MalformedBody() implements Fault {
    @Override
    public String kind() {
      return "malformed-body";
    }
  }

  /**
   * A {@code Retry-After} the proxy sends: {@code delay} from the moment it answers, in one of the
   * two forms of RFC 9110 §10.2.3.
   */
  record RetryAfter(Duration delay, boolean asHttpDate) {
    /** {@code Retry-After: <seconds>}. */
    public static RetryAfter seconds(long seconds) {
      return new RetryAfter(Duration.ofSeconds(seconds), false);
    }

    /**
     * {@code Retry-After: <HTTP-date>}, {@code delay} ahead of the answer, rounded up to the next
     * whole second (the format has no fractions).
     */
    public static RetryAfter httpDate(Duration delay) {
      return new RetryAfter(delay, true);
    }

    String form() {
      return asHttpDate ? "with Retry-After as an HTTP-date" : "with Retry-After in seconds";
    }
  }
}
