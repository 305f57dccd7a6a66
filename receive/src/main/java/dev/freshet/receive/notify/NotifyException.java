package dev.freshet.receive.notify;

/**
 * A notification that did not get through: refused (4xx, with the receiver's reason) or
 * undeliverable (connection errors or 5xx on every attempt; status 0 when nothing answered).
 */
public final class NotifyException extends Exception {

  private final int status;
  private final int attempts;

  NotifyException(int status, String message, int attempts) {
    super(message);
    this.status = status;
    this.attempts = attempts;
  }

  /** The HTTP status of the last answer, or 0 if the receiver could not be reached. */
  public int status() {
    return status;
  }

  public int attempts() {
    return attempts;
  }

  /** True if the receiver answered and said no; retrying the same request will not help. */
  public boolean refused() {
    return status >= 400 && status < 500;
  }
}
