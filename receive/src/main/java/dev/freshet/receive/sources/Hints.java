package dev.freshet.receive.sources;

import dev.freshet.receive.IgnoreReason;
import dev.freshet.receive.Ignored;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.ImageNames;
import dev.freshet.receive.SenderText;
import dev.freshet.receive.Verdict;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Collects the hints of one request and the reasons events were skipped. Senders disagree with the
 * grammar often enough (placeholder digests, untagged pushes, upper-case names) that a bad event is
 * skipped, not fatal: the request is still answered 202 and the other events in it still count.
 */
final class Hints {

  private final String source;
  private final List<ImageHint> hints = new ArrayList<>();
  private final List<Ignored> ignored = new ArrayList<>();

  Hints(String source) {
    this.source = source;
  }

  /**
   * Adds a hint, or records why not. An empty or missing tag is an untagged push (a platform
   * manifest of a multi-arch image, a push by digest), which must not become a tagged update; so is
   * a "tag" that is a digest, as Harbor sends for a push by digest. A digest that is present but
   * malformed makes the whole event suspect, so it is skipped too rather than passed on without
   * one.
   */
  void add(
      String registry,
      String repository,
      Optional<String> tag,
      Optional<String> digest,
      String deliveryId) {
    String what = registry + "/" + repository;
    if (tag.isEmpty() || tag.get().startsWith("sha256:") || tag.get().startsWith("sha512:")) {
      skip(IgnoreReason.UNTAGGED, what, "pushed by digest, with no tag");
      return;
    }
    if (digest.isPresent() && !ImageNames.isDigest(digest.get())) {
      skip(
          IgnoreReason.MALFORMED_DIGEST,
          what + ":" + tag.get(),
          "malformed digest " + abbreviate(digest.get()));
      return;
    }
    try {
      hints.add(
          new ImageHint(
              ImageNames.canonicalHost(registry),
              repository,
              tag.get(),
              digest,
              deliveryId,
              source));
    } catch (IllegalArgumentException e) {
      skip(IgnoreReason.INVALID_NAME, what + ":" + tag.get(), e.getMessage());
    }
  }

  /**
   * Records an event that leads nowhere. {@code image} is what it named, as far as it named
   * anything ({@code -} for nothing).
   */
  void skip(IgnoreReason reason, String image, String detail) {
    ignored.add(new Ignored(reason, abbreviate(image.isEmpty() ? "-" : image), abbreviate(detail)));
  }

  Verdict verdict() {
    return new Verdict.Accepted(hints, ignored);
  }

  /** A stable delivery id for senders that give none: the same body is the same delivery. */
  static String bodyId(byte[] body) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
      return "sha256:" + HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sender-supplied text goes into reasons and logs only shortened and printable. */
  static String abbreviate(String s) {
    String printable = SenderText.printable(s);
    return printable.length() <= 100 ? printable : printable.substring(0, 100) + "…";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
