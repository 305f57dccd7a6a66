package dev.freshet.receive.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A shared secret given to a receiver as a value (the operator reads it from a Kubernetes Secret).
 * Never printed, compared only in constant time, and refused when empty: an empty secret would
 * authenticate anyone.
 */
public final class Secret {

  private final byte[] value;

  private Secret(byte[] value) {
    if (value.length == 0) {
      throw new IllegalArgumentException("a secret must not be empty");
    }
    this.value = value.clone();
  }

  public static Secret of(String value) {
    return new Secret(value.getBytes(StandardCharsets.UTF_8));
  }

  public static Secret of(byte[] value) {
    return new Secret(value);
  }

  /** Constant-time comparison with what a request presented; a missing value never matches. */
  public boolean matches(String presented) {
    return presented != null
        && MessageDigest.isEqual(value, presented.getBytes(StandardCharsets.UTF_8));
  }

  /** The raw bytes, for use as an HMAC key. */
  byte[] bytes() {
    return value.clone();
  }

  @Override
  public String toString() {
    return "Secret[redacted]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret other && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }
}
