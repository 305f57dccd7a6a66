package dev.freshet.receive;

import java.util.Objects;

/**
 * One event of an accepted notification that did not become a hint.
 *
 * @param reason why, as a stable label
 * @param image what it concerned as far as the event said ({@code host/repo:tag}, or less; {@code
 *     -} when it named nothing), shortened and printable
 * @param detail the specifics, in words (the event type, the bad value)
 */
public record Ignored(IgnoreReason reason, String image, String detail) {

  public Ignored {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(detail, "detail");
  }

  /** As answered and logged: {@code image: detail [label]}. */
  @Override
  public String toString() {
    return image + ": " + detail + " [" + reason.label() + "]";
  }
}
