package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digests, per registry and repository, whose manifests a registry has served and whose bytes
 * hashed to them. Bounded: past {@link #capacity} the least recently used are forgotten, and a
 * forgotten one is merely fetched again.
 */
final class ConfirmedDigests {
  static final int DEFAULT_CAPACITY = 10_000;

  private final int capacity;
  private final Map<String, Boolean> confirmed;

  ConfirmedDigests(int capacity) {
    this.capacity = capacity;
    this.confirmed =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > ConfirmedDigests.this.capacity;
          }
        };
  }

  synchronized boolean contains(ImageReference ref, Digest digest) {
    return confirmed.get(key(ref, digest)) != null;
  }

  synchronized void add(ImageReference ref, Digest digest) {
    confirmed.put(key(ref, digest), Boolean.TRUE);
  }

  private static String key(ImageReference ref, Digest digest) {
    return ref.registry() + "/" + ref.repository() + "@" + digest;
  }
}
