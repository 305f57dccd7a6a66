package dev.freshet.registry.policy;

import java.math.BigInteger;
import java.util.Comparator;
import java.util.Optional;

/** How a pattern policy orders the part of a tag its capture group picked out. */
public enum TagOrdering {
  /** {@code 1.10.0} after {@code 1.9.3}; a {@code v} and pre-releases are understood. */
  SEMVER {
    @Override
    Optional<Comparable<?>> key(String captured) {
      return VersionTag.parse(captured)
          .filter(v -> v.variant().isEmpty())
          .map(v -> (Comparable<?>) v.version());
    }
  },
  /** Whole numbers, any length: build numbers, timestamps such as {@code 20251124103000}. */
  NUMERIC {
    @Override
    Optional<Comparable<?>> key(String captured) {
      return captured.matches("\\d{1,64}")
          ? Optional.of(new BigInteger(captured))
          : Optional.empty();
    }
  },
  /** Plain string order: ISO dates, zero-padded counters. */
  ALPHABETICAL {
    @Override
    Optional<Comparable<?>> key(String captured) {
      return Optional.of(captured);
    }
  };

  /** The sort key, or empty when the captured text cannot be ordered this way. */
  abstract Optional<Comparable<?>> key(String captured);

  @SuppressWarnings({"unchecked", "rawtypes"})
  static final Comparator<Comparable<?>> KEYS = (a, b) -> ((Comparable) a).compareTo(b);
}
