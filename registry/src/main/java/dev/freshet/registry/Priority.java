package dev.freshet.registry;

/**
 * How much a request matters when a registry's published budget runs low (Docker Hub's {@code
 * ratelimit-remaining}). Essential requests keep going until the registry itself says stop;
 * background ones stop while only the reserve is left, so the reserve goes to resolving digests.
 */
public enum Priority {
  /** Resolving the digest behind a tag: what keeps workloads current. */
  ESSENTIAL,
  /** Tag listing for a policy, platform lookups: useful, but can wait for the window to reset. */
  BACKGROUND
}
