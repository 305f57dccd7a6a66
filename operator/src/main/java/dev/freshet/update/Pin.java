package dev.freshet.update;

import dev.freshet.registry.Digest;
import dev.freshet.registry.InvalidReferenceException;

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

  /** The pin {@code tag@digest} names ({@link #toString()}'s form), if it names one. */
  public static java.util.Optional<Pin> parse(String text) {
    if (text == null) {
      return java.util.Optional.empty();
    }
    String value = text.trim();
    int at = value.lastIndexOf('@');
    if (at <= 0) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          new Pin(value.substring(0, at), Digest.parse(value.substring(at + 1)).toString()));
    } catch (InvalidReferenceException e) {
      return java.util.Optional.empty();
    }
  }

  @Override
  public String toString() {
    return tag + "@" + digest;
  }
}
