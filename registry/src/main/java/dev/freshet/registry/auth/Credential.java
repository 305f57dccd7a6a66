package dev.freshet.registry.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/** A username and password (or token) for one registry, as a pull secret gives them. */
public final class Credential {
  private final String username;
  private final String password;
  private final String fingerprint;

  public Credential(String username, String password) {
    this.username = Objects.requireNonNull(username, "username");
    this.password = Objects.requireNonNull(password, "password");
    this.fingerprint = sha256(username + '\0' + password);
  }

  public String username() {
    return username;
  }

  public String password() {
    return password;
  }

  /** The value of an {@code Authorization: Basic …} header. */
  public String basicAuthorization() {
    String pair = username + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A one-way identity of username and password together. Cached tokens are keyed by it, so a token
   * fetched with one tenant's secret is never handed to another's request, and no cache key holds a
   * password.
   */
  public String fingerprint() {
    return fingerprint;
  }

  private static String sha256(String text) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Credential other && fingerprint.equals(other.fingerprint);
  }

  @Override
  public int hashCode() {
    return fingerprint.hashCode();
  }

  /** Never prints the password: credentials end up in logs through exception messages. */
  @Override
  public String toString() {
    return "Credential[" + username + "]";
  }
}
