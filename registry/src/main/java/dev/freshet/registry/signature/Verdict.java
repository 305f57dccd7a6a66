package dev.freshet.registry.signature;

/** What a {@link SignatureVerifier} concluded about one digest. */
public sealed interface Verdict {

  /** Whether the digest may be deployed. */
  default boolean trusted() {
    return this instanceof Verified;
  }

  /** Short, stable name for metrics: {@code verified}, {@code refused}, {@code unsigned}. */
  String result();

  /** What was found, for conditions and Events. */
  String message();

  /** A signature over this digest verified with {@code key}. */
  record Verified(String key, String source) implements Verdict {
    @Override
    public String result() {
      return "verified";
    }

    @Override
    public String message() {
      return "signed with key " + key + " (" + source + ")";
    }
  }

  /**
   * Signatures were found, and none is a valid signature over this digest by a trusted key: a wrong
   * key, a signature moved over from another digest, a damaged payload.
   */
  record Refused(String message) implements Verdict {
    @Override
    public String result() {
      return "refused";
    }
  }

  /** The registry holds no signature for this digest at all (yet: CI may sign after it pushes). */
  record Unsigned(String message) implements Verdict {
    @Override
    public String result() {
      return "unsigned";
    }
  }
}
