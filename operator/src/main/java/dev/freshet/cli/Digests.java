package dev.freshet.cli;

import java.util.regex.Pattern;

/** Digests as a table shows them: algorithm and the first 12 hex digits, as Docker prints IDs. */
final class Digests {
  private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{12})[0-9a-f]{52}");

  private Digests() {}

  static String shorten(String digest) {
    return shortenAll(digest);
  }

  /** Every whole sha256 digest in {@code text} shortened, the rest unchanged. */
  static String shortenAll(String text) {
    return text == null ? null : DIGEST.matcher(text).replaceAll("$1");
  }
}
