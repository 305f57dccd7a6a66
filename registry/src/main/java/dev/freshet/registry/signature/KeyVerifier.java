package dev.freshet.registry.signature;

import dev.freshet.registry.Digest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Verifies cosign signatures against public keys, offline, with the JDK's {@code java.security}:
 * one valid signature by any one of the keys, over exactly the candidate digest, suffices.
 *
 * <p>Why not sigstore-java (1.3.0, served on our Maven mirror): its verifier is keyless only (a
 * Fulcio certificate and a Rekor entry, checked against a trust root fetched through TUF), it reads
 * neither the classic simple-signing format nor OCI registries, and it brings gRPC, protobuf,
 * Bouncy Castle and an OAuth client with it. What key-based verification needs is a PEM reader, a
 * {@link Signature} and two small JSON formats; the parsers are fuzzed ({@code
 * SignatureParsingFuzzTest}).
 */
public final class KeyVerifier implements SignatureVerifier {
  private final Map<String, PublicKey> keys;
  private final String fingerprint;

  /**
   * @param keys each key by a name people recognise (the Secret's data key, {@code cosign.pub})
   */
  public KeyVerifier(Map<String, PublicKey> keys) {
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("a key verifier needs at least one public key");
    }
    this.keys = new LinkedHashMap<>(new TreeMap<>(keys));
    this.fingerprint = fingerprint(this.keys.values());
  }

  @Override
  public String fingerprint() {
    return fingerprint;
  }

  @Override
  public Verdict verify(Digest digest, List<SignatureEnvelope> signatures) {
    if (signatures.isEmpty()) {
      return new Verdict.Unsigned(
          "no cosign signature for "
              + digest
              + " in the registry (neither a "
              + digest.algorithm()
              + "-….sig tag nor an OCI referrer)");
    }
    List<String> problems = new ArrayList<>();
    for (SignatureEnvelope envelope : signatures) {
      try {
        String key =
            envelope instanceof SignatureEnvelope.SimpleSigning simple
                ? simpleSigning(digest, simple)
                : bundle(digest, (SignatureEnvelope.Bundle) envelope);
        return new Verdict.Verified(key, envelope.source());
      } catch (IllegalArgumentException problem) {
        problems.add(envelope.source() + ": " + problem.getMessage());
      }
    }
    return new Verdict.Refused(
        "no valid signature over " + digest + " by a trusted key: " + String.join("; ", problems));
  }

  private String simpleSigning(Digest digest, SignatureEnvelope.SimpleSigning envelope) {
    byte[] signature;
    try {
      signature = Base64.getDecoder().decode(envelope.signature().trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the signature annotation is not base64");
    }
    String key = signedBy(envelope.payload(), signature);
    // Checked after the signature: only a verified payload's claim is worth reporting.
    SimpleSigningPayload payload = SimpleSigningPayload.parse(envelope.payload());
    if (!payload.digest().equals(digest.toString())) {
      throw new IllegalArgumentException(
          "signed by " + key + ", but over " + payload.digest() + ", another digest");
    }
    return key;
  }

  private String bundle(Digest digest, SignatureEnvelope.Bundle envelope) {
    DsseBundle bundle = DsseBundle.parse(envelope.json());
    String key = null;
    for (byte[] signature : bundle.signatures()) {
      try {
        key = signedBy(bundle.pae(), signature);
        break;
      } catch (IllegalArgumentException notThisOne) {
        // try the envelope's next signature
      }
    }
    if (key == null) {
      throw new IllegalArgumentException("not signed by any trusted key");
    }
    if (!bundle.predicateType().equals(DsseBundle.COSIGN_SIGN_PREDICATE)) {
      throw new IllegalArgumentException(
          "an attestation of " + bundle.predicateType() + ", not a cosign signature");
    }
    if (!bundle.subjectDigests().contains(digest.toString())) {
      throw new IllegalArgumentException(
          "signed by " + key + ", but over " + bundle.subjectDigests() + ", not this digest");
    }
    return key;
  }

  /** The name of the key that signed {@code data}. */
  private String signedBy(byte[] data, byte[] signature) {
    for (Map.Entry<String, PublicKey> key : keys.entrySet()) {
      try {
        Signature verifier = Signature.getInstance(PublicKeys.signatureAlgorithm(key.getValue()));
        verifier.initVerify(key.getValue());
        verifier.update(data);
        if (verifier.verify(signature)) {
          return key.getKey();
        }
      } catch (GeneralSecurityException | IllegalArgumentException e) {
        // A malformed signature (bad DER) is simply not a valid one for this key.
      }
    }
    throw new IllegalArgumentException("not signed by any trusted key");
  }

  private static String fingerprint(Iterable<PublicKey> keys) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      List<String> each = new ArrayList<>();
      for (PublicKey key : keys) {
        each.add(HexFormat.of().formatHex(sha256.digest(key.getEncoded())));
      }
      each.sort(null);
      return HexFormat.of()
          .formatHex(sha256.digest(String.join(",", each).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
