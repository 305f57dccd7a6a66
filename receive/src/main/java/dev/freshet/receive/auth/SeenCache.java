package dev.freshet.receive.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers keys (delivery ids, signatures) for a while, to refuse or drop repeats. Bounded in both
 * time and size so a flood of unique keys cannot exhaust memory; when full, the oldest key is
 * forgotten first, which at worst lets one old repeat through as an extra registry check.
 */
public final class SeenCache {

  private final Clock clock;
  private final Duration ttl;
  private final int capacity;
  private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

  public SeenCache(Clock clock, Duration ttl, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.clock = clock;
    this.ttl = ttl;
    this.capacity = capacity;
  }

  /** Records the key; true if it was not seen within the time to live. Atomic per call. */
  public synchronized boolean firstSighting(String key) {
    Instant now = clock.instant();
    evictExpired(now);
    if (seen.containsKey(key)) {
      return false;
    }
    if (seen.size() >= capacity) {
      Iterator<String> oldest = seen.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    seen.put(key, now.plus(ttl));
    return true;
  }

  private void evictExpired(Instant now) {
    // Insertion order is expiry order (one ttl for all), so the scan stops at the first live key.
    Iterator<Map.Entry<String, Instant>> it = seen.entrySet().iterator();
    while (it.hasNext() && !it.next().getValue().isAfter(now)) {
      it.remove();
    }
  }
}
