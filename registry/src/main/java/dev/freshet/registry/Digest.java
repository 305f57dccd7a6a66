package dev.freshet.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:…}, validated the way go-digest does: the algorithm must
 * be one registries use (sha256, sha384, sha512) and the encoded part lowercase hex of its exact
 * length.
 */
public record Digest(String algorithm, String encoded) {
  private static final Map<String, Integer> HEX_LENGTHS =
      Map.of("sha256", 64, "sha384", 96, "sha512", 128);
  // The reference grammar's digest production; go-digest's checks come after it.
  private static final Pattern GRAMMAR =
      Pattern.compile("[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}");
  private static final Pattern LOWER_HEX = Pattern.compile("[a-f0-9]+");

  public Digest {
    Integer length = HEX_LENGTHS.get(algorithm);
    if (length == null) {
      throw new IllegalArgumentException("unsupported digest algorithm " + algorithm);
    }
    if (encoded.length() != length || !LOWER_HEX.matcher(encoded).matches()) {
      throw new IllegalArgumentException(
          algorithm + " digest must be " + length + " lowercase hex characters");
    }
  }

  /**
   * Parses {@code algorithm:hex}; throws {@link InvalidReferenceException} saying what is wrong.
   */
  public static Digest parse(String text) {
    if (!GRAMMAR.matcher(text).matches()) {
      throw new InvalidReferenceException(text, "digest must look like sha256:<64 hex characters>");
    }
    int colon = text.indexOf(':');
    try {
      return new Digest(text.substring(0, colon), text.substring(colon + 1));
    } catch (IllegalArgumentException e) {
      throw new InvalidReferenceException(text, e.getMessage());
    }
  }

  /** The sha256 digest of these bytes, as a registry computes a manifest's digest. */
  public static Digest sha256Of(byte[] content) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
      return new Digest("sha256", HexFormat.of().formatHex(hash));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Whether these bytes hash to this digest (with this digest's algorithm). */
  public boolean matches(byte[] content) {
    String jdkName =
        switch (algorithm) {
          case "sha256" -> "SHA-256";
          case "sha384" -> "SHA-384";
          default -> "SHA-512";
        };
    try {
      byte[] hash = MessageDigest.getInstance(jdkName).digest(content);
      return MessageDigest.isEqual(
          hash, HexFormat.of().parseHex(encoded)); // constant time: digests gate what we deploy
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has " + jdkName, e);
    }
  }

  /** A short form for logs and status columns: the first 12 hex characters. */
  public String shortForm() {
    return encoded.substring(0, 12);
  }

  @Override
  public String toString() {
    return algorithm + ":" + encoded;
  }
}
