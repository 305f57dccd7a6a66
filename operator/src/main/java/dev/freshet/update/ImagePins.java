package dev.freshet.update;

import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidReferenceException;
import java.util.Optional;

/**
 * Pins a digest into an image reference as written in a pod template, keeping the name exactly as
 * its author wrote it ({@code nginx}, not {@code docker.io/library/nginx}) so the diff a person
 * sees is the tag and digest alone: {@code repo:tag} → {@code repo:tag@sha256:…}. The reference is
 * parsed by the registry module's {@link ImageReference}, the one parser of image references.
 */
public final class ImagePins {
  private ImagePins() {}

  /** {@code image}'s name with {@code tag} and {@code digest}. */
  public static String pin(String image, String tag, String digest) {
    return name(image) + ":" + tag + "@" + digest;
  }

  /** The name part of a reference as written: without {@code :tag} and {@code @digest}. */
  public static String name(String image) {
    ImageReference reference = ImageReference.parse(image);
    int suffix =
        reference.tag().map(tag -> tag.length() + 1).orElse(0)
            + reference.digest().map(digest -> digest.toString().length() + 1).orElse(0);
    return image.substring(0, image.length() - suffix);
  }

  /** The digest an image reference is pinned to, if it is. */
  public static Optional<String> digest(String image) {
    return ImageReference.parse(image).digest().map(Object::toString);
  }

  /** The tag a reference names; {@code latest} when it names none and no digest pins it. */
  public static Optional<String> tag(String image) {
    ImageReference reference = ImageReference.parse(image);
    return reference.digest().isPresent() ? reference.tag() : Optional.of(reference.tagOrLatest());
  }

  /**
   * The pin {@code current} carries if it is {@code declared}'s repository with a tag and a digest,
   * as Freshet writes them; empty for anything else (an unpinned tag, another repository, a
   * reference that does not parse).
   */
  public static Optional<Pin> pinOf(String current, String declared) {
    try {
      ImageReference now = ImageReference.parse(current);
      ImageReference wanted = ImageReference.parse(declared);
      if (!now.name().equals(wanted.name()) || now.tag().isEmpty() || now.digest().isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Pin(now.tag().get(), now.digest().get().toString()));
    } catch (InvalidReferenceException e) {
      return Optional.empty();
    }
  }
}
