package dev.freshet.poll;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the last check of an {@link ImageWatch} found. */
public sealed interface Resolution {

  /** When the check finished. */
  Instant checkedAt();

  /**
   * The registry answered.
   *
   * @param tag the tag to run (the current one for the digest policy, the chosen one otherwise)
   * @param digest the digest behind that tag; for a multi-arch image, the index digest
   * @param skipped candidate tags passed over, each with the reason (e.g. no image for the
   *     platform)
   * @param refusedHint a digest a webhook named for this tag that the registry did not confirm,
   *     even after the brief retries that cover a registry's eventual consistency
   */
  record Found(
      String tag,
      String digest,
      List<String> skipped,
      Instant checkedAt,
      Optional<String> refusedHint)
      implements Resolution {
    public Found(String tag, String digest, List<String> skipped, Instant checkedAt) {
      this(tag, digest, skipped, checkedAt, Optional.empty());
    }

    Found withRefusedHint(String hintDigest) {
      return new Found(tag, digest, skipped, checkedAt, Optional.of(hintDigest));
    }
  }

  /** No tag satisfies the policy (e.g. nothing in the semver range). Nothing is to change. */
  record NoCandidate(String reason, Instant checkedAt) implements Resolution {}

  /**
   * The registry could not answer. Nothing in the cluster changes; the next check backs off.
   *
   * @param reason a short machine-readable reason: {@code Unauthorized}, {@code NotFound}, {@code
   *     RateLimited}, {@code Unreachable}, {@code InvalidResponse}
   * @param message what went wrong, for conditions and Events
   * @param notBefore no request to retry before this instant (a 429's Retry-After), if the registry
   *     said
   */
  record Failed(String reason, String message, Optional<Instant> notBefore, Instant checkedAt)
      implements Resolution {}
}
