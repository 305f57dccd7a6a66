package dev.freshet.registry.signature;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.freshet.registry.Digest;
import dev.freshet.testbed.JdkCosign;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;

/**
 * Signature payloads, bundles and keys come from registries and Secrets we do not control: the
 * hand-written reading of them fails only with IllegalArgumentException (which the verifier turns
 * into a refusal), and the verifier never trusts what a key did not sign.
 */
class SignatureParsingFuzzTest {
  private static final KeyPair KEY = JdkCosign.newKeyPair();
  private static final KeyVerifier VERIFIER =
      new KeyVerifier(Map.of("k.pub", PublicKeys.parse(JdkCosign.publicPem(KEY.getPublic()))));
  private static final Digest DIGEST = Digest.sha256Of("x".getBytes(StandardCharsets.UTF_8));

  @FuzzTest(maxDuration = "30s")
  void parsingThrowsNothingButIllegalArgument(FuzzedDataProvider data) {
    byte[] bytes = data.consumeRemainingAsBytes();
    try {
      SimpleSigningPayload.parse(bytes);
    } catch (IllegalArgumentException expected) {
      // refused with a reason
    }
    try {
      DsseBundle.parse(bytes);
    } catch (IllegalArgumentException expected) {
      // refused with a reason
    }
    try {
      PublicKeys.parse(new String(bytes, StandardCharsets.UTF_8));
    } catch (IllegalArgumentException expected) {
      // refused with a reason
    }
  }

  @FuzzTest(maxDuration = "30s")
  void unsignedDataIsNeverTrusted(FuzzedDataProvider data) {
    String signature = data.consumeString(200);
    byte[] payload = data.consumeRemainingAsBytes();
    Verdict verdict =
        VERIFIER.verify(
            DIGEST,
            List.of(
                new SignatureEnvelope.SimpleSigning(payload, signature, "fuzz"),
                new SignatureEnvelope.Bundle(payload, "fuzz")));

    assertThat(verdict).isInstanceOf(Verdict.Refused.class);
  }
}
