package dev.freshet.observe;

import java.util.Optional;

/**
 * What an Event says about an image, as fields rather than prose, for those who hear of it
 * elsewhere than in the Event's message (notifications). Every field is optional: an Event about a
 * registry failure has no digests, one about an App's only container names no container.
 *
 * @param container the container whose image it is about
 * @param image the image as the workload declares it ({@code host/repository:tag}, no digest)
 * @param tag the tag followed or chosen
 * @param fromDigest the digest the workload ran or was pinned to before
 * @param toDigest the digest it is pinned to now or will be
 */
public record ImageChange(
    Optional<String> container,
    Optional<String> image,
    Optional<String> tag,
    Optional<String> fromDigest,
    Optional<String> toDigest) {

  public static final ImageChange NONE =
      new ImageChange(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** About {@code image} alone, e.g. a registry failure for it. */
  public static ImageChange of(String container, String image) {
    return new ImageChange(
        Optional.ofNullable(container),
        Optional.ofNullable(image),
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /** A change of {@code image} (as declared) under {@code tag} from one digest to another. */
  public static ImageChange of(
      String container, String image, String tag, Optional<String> from, String to) {
    return new ImageChange(
        Optional.ofNullable(container),
        Optional.ofNullable(image),
        Optional.ofNullable(tag),
        from,
        Optional.ofNullable(to));
  }
}
