package dev.freshet.registry.signature;

/**
 * One signature the registry holds for an image, as found, not yet verified. Cosign stores two
 * formats: the classic one (a manifest whose layers are simple-signing payloads, each with its
 * signature in an annotation), under the {@code sha256-<hex>.sig} tag or as an OCI referrer; and
 * cosign 3's default, a Sigstore bundle (a DSSE envelope over an in-toto statement) as an OCI
 * referrer.
 */
public sealed interface SignatureEnvelope {

  /** Where it was found, for messages: {@code tag sha256-….sig} or {@code referrer sha256:…}. */
  String source();

  /**
   * A classic cosign signature: {@code signature} (base64, from the layer's {@code
   * dev.cosignproject.cosign/signature} annotation) over exactly the bytes of {@code payload}.
   */
  record SimpleSigning(byte[] payload, String signature, String source)
      implements SignatureEnvelope {}

  /** A Sigstore bundle (JSON, media type {@code application/vnd.dev.sigstore.bundle…}). */
  record Bundle(byte[] json, String source) implements SignatureEnvelope {}
}
