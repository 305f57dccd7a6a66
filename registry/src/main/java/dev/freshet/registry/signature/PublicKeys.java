package dev.freshet.registry.signature;

import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a cosign public key: PEM, {@code -----BEGIN PUBLIC KEY-----} around a DER
 * SubjectPublicKeyInfo, as {@code cosign generate-key-pair} writes it. ECDSA (P-256, P-384), RSA
 * and Ed25519 keys are understood; anything else is refused with a message naming what is wrong.
 */
public final class PublicKeys {
  private static final Pattern PEM =
      Pattern.compile(
          "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]{1,16384})-----END PUBLIC KEY-----");
  private static final List<String> ALGORITHMS = List.of("EC", "RSA", "Ed25519");

  private PublicKeys() {}

  /**
   * @throws IllegalArgumentException when the text holds no PEM public key, or one the JDK cannot
   *     read as an ECDSA, RSA or Ed25519 key
   */
  public static PublicKey parse(String pem) {
    if (pem.contains("PRIVATE KEY")) {
      // A private key in a Secret meant for verification is a leak worth saying so plainly.
      throw new IllegalArgumentException(
          "holds a private key; only the public key (cosign.pub) belongs here");
    }
    Matcher matcher = PEM.matcher(pem);
    if (!matcher.find()) {
      throw new IllegalArgumentException(
          "is not a PEM public key (-----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----)");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(matcher.group(1).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("has a PEM body that is not base64");
    }
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
      } catch (InvalidKeySpecException | ClassCastException | IllegalArgumentException e) {
        // not a key of this algorithm: try the next one
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("the JDK lacks " + algorithm, e);
      }
    }
    throw new IllegalArgumentException("is not an ECDSA, RSA or Ed25519 public key");
  }

  /** The JCA signature algorithm cosign uses with this key (SHA-256 for ECDSA and RSA). */
  static String signatureAlgorithm(PublicKey key) {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
    };
  }
}
