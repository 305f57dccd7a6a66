package dev.freshet.update;

/**
 * Whether a candidate pin may be rolled out, as far as its signature goes. The update engine asks
 * it only for a digest it is about to pin, so an image that never changes costs no lookup. A gate
 * answers from a cache or the registry ({@link SignatureChecks}); the engine stays pure because it
 * only sees the outcome.
 */
@FunctionalInterface
public interface SignatureGate {

  /** No verification asked for: every candidate passes. */
  SignatureGate OPEN = candidate -> Outcome.PASSED;

  Outcome check(Pin candidate);

  /** What the gate says about one candidate. */
  sealed interface Outcome {
    Outcome PASSED = new Passed();

    /** Signed by a trusted key over exactly this digest (or no verification asked for). */
    record Passed() implements Outcome {}

    /**
     * Signatures were found and none is valid: the digest is quarantined like a failed rollout and
     * never tried again.
     */
    record Refused(String why) implements Outcome {}

    /**
     * Not rolled out now, not quarantined: no signature yet (CI may sign after it pushes), the
     * registry did not answer the lookup, or the verification is configured wrongly.
     *
     * @param reason the condition reason to report, e.g. {@code SignatureInvalid}
     */
    record Withheld(String reason, String why) implements Outcome {}
  }
}
