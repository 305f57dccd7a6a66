package dev.freshet.update;

import java.util.Optional;

/**
 * What a workload asks of image signatures: the Secret of cosign public keys to verify with (an
 * App's {@code spec.update.verify.keySecret}, a tracked workload's {@code
 * freshet.dev/verify-key-secret}), or keyless verification, which is refused until it is supported.
 */
public record VerifyConfig(Optional<String> keySecret, boolean keyless) {

  /** Why keyless verification is refused, in the words users read in status and Events. */
  public static final String KEYLESS_UNSUPPORTED =
      "keyless verification (a Fulcio certificate and a Rekor log entry) needs the public Sigstore"
          + " services and is not supported yet; name a Secret of cosign public keys instead";

  public static VerifyConfig withKeys(String secret) {
    return new VerifyConfig(Optional.of(secret), false);
  }
}
