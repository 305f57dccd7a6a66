package dev.freshet.registry.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens, kept until shortly before they expire. The key holds the credential's fingerprint,
 * so two pull secrets for the same repository never share a token (the defect that ruled out ORAS
 * 0.7.0's process-wide cache).
 */
public final class TokenCache {
  /** What a token was issued for. Anonymous requests use the fingerprint {@code "anonymous"}. */
  public record Key(
      String registry, String realm, String service, String scope, String credential) {}

  record Entry(String token, Instant expiresAt) {}

  private static final int MAX_ENTRIES = 10_000;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();
  private final Clock clock;

  public TokenCache(Clock clock) {
    this.clock = clock;
  }

  public Optional<String> get(Key key) {
    Entry entry = entries.get(key);
    if (entry == null) {
      return Optional.empty();
    }
    if (!clock.instant().isBefore(entry.expiresAt())) {
      entries.remove(key, entry);
      return Optional.empty();
    }
    return Optional.of(entry.token());
  }

  /** Keeps the token until {@code expiresAt}; callers subtract their own safety margin. */
  public void put(Key key, String token, Instant expiresAt) {
    if (entries.size() >= MAX_ENTRIES) {
      Instant now = clock.instant();
      entries.values().removeIf(e -> !now.isBefore(e.expiresAt()));
      if (entries.size() >= MAX_ENTRIES) {
        entries.clear(); // a flood of scopes: start over rather than grow without bound
      }
    }
    entries.put(key, new Entry(token, expiresAt));
  }

  public int size() {
    return entries.size();
  }
}
