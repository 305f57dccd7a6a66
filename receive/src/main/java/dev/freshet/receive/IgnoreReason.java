package dev.freshet.receive;

/**
 * Why an accepted notification led to no re-check. Each has a stable {@link #label()} for the
 * {@code reason} label of metrics and the HTTP answer, and words for people (logs, docs). Accepting
 * such a notification (rather than refusing it) keeps senders from retrying it forever; naming the
 * reason keeps the acceptance from being silent.
 */
public enum IgnoreReason {
  NOT_A_PUSH(
      "not-a-push", "the event is not a push (a pull, a delete, a scan or another event type)"),
  NOT_AN_IMAGE(
      "not-an-image",
      "what was pushed is not an image manifest or index (a layer blob, a non-container package)"),
  UNTAGGED(
      "untagged",
      "a push by digest only: no tag names it (a platform manifest of a multi-arch image, a push"
          + " by digest)"),
  MALFORMED_DIGEST("malformed-digest", "the digest named is not a well-formed digest"),
  INVALID_NAME(
      "invalid-name", "the registry host, repository or tag is outside the image name grammar"),
  NO_REPOSITORY("no-repository", "the event names no repository"),
  NO_REGISTRY("no-registry", "the event names a repository but no registry host"),
  REPEATED("repeated-delivery", "the same delivery was received before"),
  UNWATCHED(
      "unwatched-image", "no workload follows the image (counted when the kept hint expires)"),
  TOO_MANY_KEPT(
      "too-many-kept",
      "the hint for an image no workload follows yet was pushed out by newer ones");

  private final String label;
  private final String words;

  IgnoreReason(String label, String words) {
    this.label = label;
    this.words = words;
  }

  /** The value of the {@code reason} metric label, and the tag in the HTTP answer. */
  public String label() {
    return label;
  }

  /** What it means, in words. */
  public String words() {
    return words;
  }
}
