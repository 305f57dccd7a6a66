package dev.freshet.registry.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.registry.Digest;
import dev.freshet.testbed.JdkCosign;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cosign signatures, made with the JDK in cosign's formats, checked against public keys. */
class KeyVerifierTest {
  private static final Digest DIGEST = Digest.sha256Of("image".getBytes(StandardCharsets.UTF_8));
  private static final Digest OTHER = Digest.sha256Of("other".getBytes(StandardCharsets.UTF_8));
  private static final KeyPair TRUSTED = JdkCosign.newKeyPair();
  private static final KeyPair STRANGER = JdkCosign.newKeyPair();
  private final KeyVerifier verifier =
      new KeyVerifier(
          Map.of("cosign.pub", PublicKeys.parse(JdkCosign.publicPem(TRUSTED.getPublic()))));

  private static SignatureEnvelope simple(PrivateKey key, Digest signedDigest) {
    byte[] payload = JdkCosign.payload("127.0.0.1:5000/demo", signedDigest.toString());
    return new SignatureEnvelope.SimpleSigning(payload, JdkCosign.sign(key, payload), "tag x.sig");
  }

  @Test
  void aSignatureByATrustedKeyOverTheDigestVerifies() {
    Verdict verdict = verifier.verify(DIGEST, List.of(simple(TRUSTED.getPrivate(), DIGEST)));

    assertThat(verdict).isEqualTo(new Verdict.Verified("cosign.pub", "tag x.sig"));
  }

  @Test
  void aSignatureByAnotherKeyIsRefused() {
    Verdict verdict = verifier.verify(DIGEST, List.of(simple(STRANGER.getPrivate(), DIGEST)));

    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    assertThat(verdict.message()).contains("not signed by any trusted key");
  }

  @Test
  void aValidSignatureOverAnotherDigestIsRefused() {
    Verdict verdict = verifier.verify(DIGEST, List.of(simple(TRUSTED.getPrivate(), OTHER)));

    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
    assertThat(verdict.message()).contains("over " + OTHER + ", another digest");
  }

  @Test
  void aPayloadChangedAfterSigningIsRefused() {
    var signed = (SignatureEnvelope.SimpleSigning) simple(TRUSTED.getPrivate(), OTHER);
    byte[] forged = JdkCosign.payload("127.0.0.1:5000/demo", DIGEST.toString());

    Verdict verdict =
        verifier.verify(
            DIGEST,
            List.of(new SignatureEnvelope.SimpleSigning(forged, signed.signature(), "tag")));

    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void oneValidSignatureAmongInvalidOnesSuffices() {
    Verdict verdict =
        verifier.verify(
            DIGEST,
            List.of(simple(STRANGER.getPrivate(), DIGEST), simple(TRUSTED.getPrivate(), DIGEST)));

    assertThat(verdict.trusted()).isTrue();
  }

  @Test
  void noSignatureAtAllIsUnsignedNotRefused() {
    assertThat(verifier.verify(DIGEST, List.of())).isInstanceOf(Verdict.Unsigned.class);
  }

  @Test
  void aBundleOverTheDigestVerifiesAndOverAnotherIsRefused() {
    var good =
        new SignatureEnvelope.Bundle(
            JdkCosign.bundle(TRUSTED.getPrivate(), DIGEST.toString()), "r");
    var moved =
        new SignatureEnvelope.Bundle(JdkCosign.bundle(TRUSTED.getPrivate(), OTHER.toString()), "r");
    var stranger =
        new SignatureEnvelope.Bundle(
            JdkCosign.bundle(STRANGER.getPrivate(), DIGEST.toString()), "r");

    assertThat(verifier.verify(DIGEST, List.of(good)).trusted()).isTrue();
    assertThat(verifier.verify(DIGEST, List.of(moved))).isInstanceOf(Verdict.Refused.class);
    assertThat(verifier.verify(DIGEST, List.of(stranger))).isInstanceOf(Verdict.Refused.class);
  }

  @Test
  void ed25519AndRsaKeysVerifyToo() throws Exception {
    for (String algorithm : List.of("Ed25519", "RSA")) {
      KeyPair pair = KeyPairGenerator.getInstance(algorithm).generateKeyPair();
      byte[] payload = JdkCosign.payload("r/demo", DIGEST.toString());
      Signature signer =
          Signature.getInstance(algorithm.equals("RSA") ? "SHA256withRSA" : "Ed25519");
      signer.initSign(pair.getPrivate());
      signer.update(payload);
      String signature = Base64.getEncoder().encodeToString(signer.sign());
      var keys =
          new KeyVerifier(Map.of("k.pub", PublicKeys.parse(JdkCosign.publicPem(pair.getPublic()))));

      Verdict verdict =
          keys.verify(
              DIGEST, List.of(new SignatureEnvelope.SimpleSigning(payload, signature, "tag")));

      assertThat(verdict.trusted()).as(algorithm).isTrue();
    }
  }

  @Test
  void theKeySetsFingerprintIgnoresNamesAndOrder() {
    var a = PublicKeys.parse(JdkCosign.publicPem(TRUSTED.getPublic()));
    var b = PublicKeys.parse(JdkCosign.publicPem(STRANGER.getPublic()));

    assertThat(new KeyVerifier(Map.of("x.pub", a, "y.pub", b)).fingerprint())
        .isEqualTo(new KeyVerifier(Map.of("y.pub", a, "z.pub", b)).fingerprint())
        .isNotEqualTo(new KeyVerifier(Map.of("x.pub", a)).fingerprint());
  }

  @Test
  void publicKeysRefusePrivateKeysAndNonsenseWithReasons() {
    assertThatThrownBy(() -> PublicKeys.parse("-----BEGIN EC PRIVATE KEY-----\nAAAA\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("private key");
    assertThatThrownBy(() -> PublicKeys.parse("hello"))
        .hasMessageContaining("not a PEM public key");
    assertThatThrownBy(
            () -> PublicKeys.parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .hasMessageContaining("not an ECDSA, RSA or Ed25519 public key");
  }
}
