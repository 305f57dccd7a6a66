package dev.freshet.receive;

import java.util.Optional;

/**
 * Thrown inside receivers when a request must be refused; {@link Receiver#receive} turns it into a
 * {@link Verdict.Refused}. The only exception a parser may raise on any input (the fuzz test holds
 * them to it).
 */
public final class Refusal extends Exception {

  private final int status;
  private final Optional<RefusalReason> why;

  public Refusal(int status, String reason) {
    this(status, reason, Optional.empty());
  }

  private Refusal(int status, String reason, Optional<RefusalReason> why) {
    // Parsers quote the sender's bytes in their messages (Jackson's "Unrecognized token …").
    super(SenderText.printable(reason), null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
    }
    this.status = status;
    this.why = why;
  }

  /** A refusal counted under {@code why}'s label. */
  public Refusal(int status, RefusalReason why, String reason) {
    this(status, reason, Optional.of(why));
  }

  public int status() {
    return status;
  }

  public String reason() {
    return getMessage();
  }

  /** The stable reason, for refusals that have one. */
  public Optional<RefusalReason> why() {
    return why;
  }

  public Verdict.Refused verdict() {
    return new Verdict.Refused(status, getMessage(), why);
  }

  public static Refusal malformed(String reason) {
    return new Refusal(400, reason);
  }

  public static Refusal unauthorized(String reason) {
    return new Refusal(401, reason);
  }

  public static Refusal unauthorized(RefusalReason why, String reason) {
    return new Refusal(401, why, reason);
  }

  public static Refusal forbidden(RefusalReason why, String reason) {
    return new Refusal(403, why, reason);
  }

  public static Refusal unsupportedMediaType(String reason) {
    return new Refusal(415, reason);
  }
}
