package dev.freshet.update;

import java.util.Optional;

/**
 * Pins a digest into an image reference as written in a pod template, keeping the name exactly as its
 * author wrote it ({@code nginx}, not {@code docker.io/library/nginx}) so the diff a person sees is
 * the tag and digest alone: {@code repo:tag} → {@code repo:tag@sha256:…}.
 */
public final class ImagePins {
  private ImagePins() {}

  /** {@code image}'s name with {@code tag} and {@code digest}. */
  public static String pin(String image, String tag, String digest) {
    return name(image) + ":" + tag + "@" + digest;
  }

  /** The name part of a reference: without {@code @digest} and without {@code :tag}. */
  public static String name(String image) {
    String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = withoutDigest.lastIndexOf(':');
    // A colon before the last slash belongs to a registry port, not a tag.
    return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.substring(0, colon) : withoutDigest;
  }

  /** The digest an image reference is pinned to, if it is. */
  public static Optional<String> digest(String image) {
    int at = image.indexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(image.substring(at + 1));
  }
}
