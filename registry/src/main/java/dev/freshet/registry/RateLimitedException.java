package dev.freshet.registry;

import java.time.Instant;

/**
 * The registry asked us to slow down (429 with Retry-After), or its published budget is nearly
 * spent. No request goes to that registry before {@link #retryAt()}; the caller reschedules for
 * then.
 */
public final class RateLimitedException extends RegistryException {
  private final Instant retryAt;

  public RateLimitedException(String registry, Instant retryAt, String message) {
    super(registry, message, null);
    this.retryAt = retryAt;
  }

  /** The earliest moment a request to this registry may be sent again. */
  public Instant retryAt() {
    return retryAt;
  }

  @Override
  public String reason() {
    return "RateLimited";
  }

  @Override
  public boolean isTransient() {
    return true;
  }
}
