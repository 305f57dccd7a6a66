package dev.freshet.update;

/**
 * A tag and the digest Freshet pins with it into a pod template ({@code repo:tag@sha256:…}).
 *
 * @param tag the tag the workload follows, or the one a semver or pattern policy chose
 * @param digest the digest behind it; for a multi-arch image, the index digest
 */
public record Pin(String tag, String digest) {

  /** {@code image}'s name, as its author wrote it, with this tag and digest. */
  public String on(String image) {
    return ImagePins.pin(image, tag, digest);
  }

  @Override
  public String toString() {
    return tag + "@" + digest;
  }
}
