package dev.freshet.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Cosign's signature formats written with the JDK, for tests that need signatures without the
 * cosign binary (unit tests of the verifier, fuzzing, and cases cosign will not produce). It
 * follows cosign's formats: the simple-signing payload, the {@code .sig} manifest, the DSSE
 * envelope in a Sigstore bundle. What the cosign binary itself writes is signed with {@link Cosign}
 * in {@code CosignSignedImagesIT} and {@code TrackedCosignSignedIT}, and kept byte for byte in the
 * registry module's {@code CosignArtifactsTest}.
 */
public final class JdkCosign {
  public static final String SIMPLE_SIGNING_LAYER =
      "application/vnd.dev.cosign.simplesigning.v1+json";
  public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
  private static final ObjectMapper JSON = new ObjectMapper();

  private JdkCosign() {}

  /** A new ECDSA P-256 key pair, the kind {@code cosign generate-key-pair} makes. */
  public static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The public key as PEM, as in {@code cosign.pub}. */
  public static String publicPem(PublicKey key) {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The simple-signing payload cosign signs for {@code host/repository@digest}. */
  public static byte[] payload(String dockerReference, String digest) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode critical = root.putObject("critical");
    critical.putObject("identity").put("docker-reference", dockerReference);
    critical.putObject("image").put("docker-manifest-digest", digest);
    critical.put("type", "cosign container image signature");
    root.putNull("optional");
    return bytes(root);
  }

  /** The signature over {@code data} as cosign stores it: base64 of the DER ECDSA signature. */
  public static String sign(PrivateKey key, byte[] data) {
    try {
      Signature signature =
          Signature.getInstance(key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "Ed25519");
      signature.initSign(key);
      signature.update(data);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A Sigstore bundle (DSSE envelope over an in-toto statement with cosign's sign predicate) over
   * {@code digest}, as cosign 3 writes by default.
   */
  public static byte[] bundle(PrivateKey key, String digest) {
    ObjectNode statement = JSON.createObjectNode();
    statement.put("_type", "https://in-toto.io/Statement/v1");
    statement
        .putArray("subject")
        .addObject()
        .putObject("digest")
        .put("sha256", digest.substring("sha256:".length()));
    statement.put("predicateType", "https://sigstore.dev/cosign/sign/v1");
    statement.putObject("predicate");
    byte[] payload = bytes(statement);
    String type = "application/vnd.in-toto+json";
    byte[] pae = pae(type, payload);
    ObjectNode bundle = JSON.createObjectNode();
    bundle.put("mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json");
    ObjectNode envelope = bundle.putObject("dsseEnvelope");
    envelope.put("payload", Base64.getEncoder().encodeToString(payload));
    envelope.put("payloadType", type);
    envelope.putArray("signatures").addObject().put("sig", sign(key, pae));
    return bytes(bundle);
  }

  private static byte[] pae(String type, byte[] payload) {
    byte[] header =
        ("DSSEv1 " + type.length() + " " + type + " " + payload.length + " ")
            .getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[header.length + payload.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(payload, 0, all, header.length, payload.length);
    return all;
  }

  /**
   * Signs {@code image} with {@code key} in the classic format: the payload as a blob, a manifest
   * with one layer carrying the signature annotation, under the {@code sha256-<hex>.sig} tag.
   */
  public static void signInRegistry(Registry registry, PushedImage image, PrivateKey key) {
    ImagePusher pusher = registry.pusher();
    byte[] payload = payload(registry.host() + "/" + image.repository(), image.digest());
    String payloadDigest = pusher.uploadBlob(image.repository(), payload);
    byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    String configDigest = pusher.uploadBlob(image.repository(), config);
    ObjectNode manifest =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", ImagePusher.OCI_MANIFEST);
    manifest
        .putObject("config")
        .put("mediaType", "application/vnd.oci.image.config.v1+json")
        .put("digest", configDigest)
        .put("size", config.length);
    ObjectNode layer =
        manifest
            .putArray("layers")
            .addObject()
            .put("mediaType", SIMPLE_SIGNING_LAYER)
            .put("digest", payloadDigest)
            .put("size", payload.length);
    layer.putObject("annotations").put(SIGNATURE_ANNOTATION, sign(key, payload));
    pusher.putManifest(
        image.repository(), sigTag(image.digest()), ImagePusher.OCI_MANIFEST, bytes(manifest));
  }

  /** Cosign's tag for the signatures of {@code digest}: {@code sha256-<hex>.sig}. */
  public static String sigTag(String digest) {
    return digest.replace(':', '-') + ".sig";
  }

  private static byte[] bytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
