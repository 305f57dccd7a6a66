package dev.freshet.receive;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Says yes to a key at most once per period, remembering at most a fixed number of keys (the least
 * recently seen are forgotten first). It keeps logs of repeated, uninteresting events to one line
 * per key and period, and a sender that varies the key cannot make it grow: it can at worst get a
 * forgotten key logged again.
 */
public final class OncePerKey {

  private final Clock clock;
  private final Duration period;
  private final Map<String, Instant> lastSaidYes;

  public OncePerKey(Clock clock, Duration period, int rememberAtMost) {
    if (rememberAtMost < 1) {
      throw new IllegalArgumentException("must remember at least one key");
    }
    this.clock = clock;
    this.period = period;
    this.lastSaidYes =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > rememberAtMost;
          }
        };
  }

  /** True if {@code key} was not said yes to within the period; then it is, from now. */
  public synchronized boolean tryAcquire(String key) {
    Instant now = clock.instant();
    Instant last = lastSaidYes.get(key);
    if (last != null && now.isBefore(last.plus(period))) {
      return false;
    }
    lastSaidYes.put(key, now);
    return true;
  }

  /** How many keys are remembered; never more than the bound. */
  public synchronized int size() {
    return lastSaidYes.size();
  }
}
