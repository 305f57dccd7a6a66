package dev.freshet.registry.signature;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A Sigstore bundle as cosign 3 attaches it to an image by default: a DSSE envelope over an in-toto
 * statement whose subject is the image digest and whose predicate type says "cosign signed this"
 * ({@value #COSIGN_SIGN_PREDICATE}). The DSSE signatures cover the envelope's pre-authentication
 * encoding ({@link #pae()}), not the bare payload.
 *
 * @param payloadType the envelope's payload type
 * @param payload the statement's bytes, as signed
 * @param signatures the envelope's signatures, decoded
 * @param predicateType the statement's predicate type
 * @param subjectDigests every subject's digest, as {@code sha256:…}
 */
public record DsseBundle(
    String payloadType,
    byte[] payload,
    List<byte[]> signatures,
    String predicateType,
    List<String> subjectDigests) {
  static final String IN_TOTO = "application/vnd.in-toto+json";
  static final String COSIGN_SIGN_PREDICATE = "https://sigstore.dev/cosign/sign/v1";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * @throws IllegalArgumentException when the bytes are not a bundle with a DSSE envelope over an
   *     in-toto statement
   */
  public static DsseBundle parse(byte[] bundle) {
    JsonNode envelope = object(bundle, "the bundle").path("dsseEnvelope");
    if (!envelope.isObject()) {
      throw new IllegalArgumentException(
          "the bundle holds no DSSE envelope (a message signature is for blobs, not images)");
    }
    String payloadType = envelope.path("payloadType").asText("");
    if (!payloadType.equals(IN_TOTO)) {
      throw new IllegalArgumentException(
          "the bundle's payload type is \""
              + SimpleSigningPayload.shorten(payloadType)
              + "\", not "
              + IN_TOTO);
    }
    byte[] payload = base64(envelope.path("payload"), "the bundle's payload");
    List<byte[]> signatures = new ArrayList<>();
    for (JsonNode signature : envelope.path("signatures")) {
      signatures.add(base64(signature.path("sig"), "a bundle signature"));
    }
    if (signatures.isEmpty()) {
      throw new IllegalArgumentException("the bundle's envelope carries no signature");
    }
    JsonNode statement = object(payload, "the bundle's statement");
    List<String> subjects = new ArrayList<>();
    for (JsonNode subject : statement.path("subject")) {
      JsonNode sha256 = subject.path("digest").path("sha256");
      if (sha256.isTextual()) {
        subjects.add("sha256:" + sha256.asText());
      }
    }
    return new DsseBundle(
        payloadType,
        payload,
        List.copyOf(signatures),
        statement.path("predicateType").asText(""),
        List.copyOf(subjects));
  }

  /** DSSE's pre-authentication encoding: what the envelope's signatures sign. */
  public byte[] pae() {
    byte[] type = payloadType.getBytes(StandardCharsets.UTF_8);
    byte[] header =
        ("DSSEv1 " + type.length + " " + payloadType + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[header.length + payload.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(payload, 0, all, header.length, payload.length);
    return all;
  }

  private static JsonNode object(byte[] bytes, String what) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException(what + " is not JSON");
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    return node;
  }

  private static byte[] base64(JsonNode node, String what) {
    if (!node.isTextual()) {
      throw new IllegalArgumentException(what + " is missing");
    }
    try {
      return Base64.getDecoder().decode(node.asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " is not base64");
    }
  }
}
