package dev.freshet.registry.http;

import dev.freshet.registry.Priority;
import dev.freshet.registry.RateLimitBudget;
import dev.freshet.registry.RateLimitedException;
import dev.freshet.registry.UnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Politeness towards one registry: at most N requests in flight, nothing before a deadline the
 * registry set with Retry-After, and background requests held back while its published budget is
 * down to the reserve. Shared by every caller of that registry in this process.
 */
public final class RegistryGate {
  private final String registry;
  private final Semaphore inFlight;
  private final long budgetReserve;
  private final Clock clock;
  private Instant notBefore = Instant.MIN;
  private RateLimitBudget budget;

  public RegistryGate(String registry, int maxInFlight, long budgetReserve, Clock clock) {
    this.registry = registry;
    this.inFlight = new Semaphore(maxInFlight, true);
    this.budgetReserve = budgetReserve;
    this.clock = clock;
  }

  /** Nothing may be sent before {@code until}; a later deadline replaces an earlier one. */
  public synchronized void blockUntil(Instant until) {
    if (until.isAfter(notBefore)) {
      notBefore = until;
    }
  }

  public synchronized void observe(RateLimitBudget observed) {
    budget = observed;
  }

  /** The budget the registry published last, if it publishes one. */
  public synchronized Optional<RateLimitBudget> budget() {
    return Optional.ofNullable(budget);
  }

  /**
   * Returns when a request of this priority may go out: at once, or after waiting up to {@code
   * maxWait} on this thread.
   *
   * @throws RateLimitedException when the wait would be longer; it says until when
   */
  public void awaitTurn(Priority priority, Duration maxWait, Sleeper sleeper) {
    while (true) {
      Instant now = clock.instant();
      Hold hold = holdFor(priority);
      if (hold == null || !now.isBefore(hold.until())) {
        return;
      }
      if (Duration.between(now, hold.until()).compareTo(maxWait) > 0) {
        throw new RateLimitedException(registry, hold.until(), hold.why());
      }
      try {
        sleeper.sleepUntil(clock, hold.until());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnreachableException(registry, "interrupted while waiting for " + registry, e);
      }
    }
  }

  private record Hold(Instant until, String why) {}

  private synchronized Hold holdFor(Priority priority) {
    Instant now = clock.instant();
    if (now.isBefore(notBefore)) {
      return new Hold(notBefore, registry + " asked us not to send requests before " + notBefore);
    }
    if (priority == Priority.BACKGROUND
        && budget != null
        && budget.remaining() <= budgetReserve
        && now.isBefore(budget.windowEnd())) {
      return new Hold(
          budget.windowEnd(),
          registry
              + " has "
              + budget.remaining()
              + " of "
              + budget.limit()
              + " requests left in its window; background requests wait for it to recover");
    }
    return null;
  }

  /** Runs the exchange holding one of this registry's in-flight slots. */
  public <T, E extends Exception> T withSlot(Exchange<T, E> exchange) throws E {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(registry, "interrupted while waiting for " + registry, e);
    }
    try {
      return exchange.run();
    } finally {
      inFlight.release();
    }
  }

  @FunctionalInterface
  public interface Exchange<T, E extends Exception> {
    T run() throws E;
  }
}
