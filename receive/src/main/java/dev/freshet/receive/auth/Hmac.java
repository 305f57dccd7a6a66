package dev.freshet.receive.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures written as {@code sha256=<hex>}, the form GitHub and Freshet's generic
 * form use.
 */
public final class Hmac {

  public static final String PREFIX = "sha256=";

  private Hmac() {}

  public static byte[] sha256(Secret key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.bytes(), "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
    }
  }

  /** {@code sha256=<lower-case hex>} of the parts, concatenated. */
  public static String signature(Secret key, byte[]... parts) {
    return PREFIX + HexFormat.of().formatHex(sha256(key, parts));
  }

  /**
   * Whether a presented {@code sha256=<hex>} header is the signature of the parts. Compared in
   * constant time over the decoded bytes; a header in any other shape does not match.
   */
  public static boolean verify(Secret key, String presented, byte[]... parts) {
    if (presented == null || !presented.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      return false;
    }
    String hex = presented.substring(PREFIX.length()).trim();
    // ASCII hex only: Character.digit also takes other scripts' digits (such as U+06F8), which
    // HexFormat then refuses with an exception.
    if (hex.length() != 64 || !hex.chars().allMatch(Hmac::isAsciiHex)) {
      return false;
    }
    return MessageDigest.isEqual(HexFormat.of().parseHex(hex), sha256(key, parts));
  }

  private static boolean isAsciiHex(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
