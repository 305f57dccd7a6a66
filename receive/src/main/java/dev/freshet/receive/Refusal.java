package dev.freshet.receive;

/**
 * Thrown inside receivers when a request must be refused; {@link Receiver#receive} turns it into a
 * {@link Verdict.Refused}. The only exception a parser may raise on any input (the fuzz test holds
 * them to it).
 */
public final class Refusal extends Exception {

  private final int status;

  public Refusal(int status, String reason) {
    super(reason, null, false, false);
    if (status < 400 || status > 499) {
      throw new IllegalArgumentException("a refusal is a 4xx status, not " + status);
    }
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return getMessage();
  }

  public Verdict.Refused verdict() {
    return new Verdict.Refused(status, getMessage());
  }

  public static Refusal malformed(String reason) {
    return new Refusal(400, reason);
  }

  public static Refusal unauthorized(String reason) {
    return new Refusal(401, reason);
  }

  public static Refusal unsupportedMediaType(String reason) {
    return new Refusal(415, reason);
  }
}
