package dev.freshet.registry.signature;

import dev.freshet.registry.Digest;
import java.util.List;

/**
 * Decides whether the signatures found for a digest make it trusted. {@link KeyVerifier} checks
 * them against public keys, offline. Keyless verification (a Fulcio certificate bound to an OIDC
 * identity, with its Rekor transparency-log entry) would be another implementation: it needs the
 * Sigstore trust root and online services, which is why it is not offered yet.
 */
public interface SignatureVerifier {

  Verdict verify(Digest digest, List<SignatureEnvelope> signatures);

  /**
   * What this verifier trusts, as a stable text: verdicts are cached per digest and this, so a
   * changed key set is asked anew.
   */
  String fingerprint();
}
