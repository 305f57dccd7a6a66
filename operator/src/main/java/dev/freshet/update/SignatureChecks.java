package dev.freshet.update;

import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.registry.signature.KeyVerifier;
import dev.freshet.registry.signature.PublicKeys;
import dev.freshet.registry.signature.SignatureVerifier;
import dev.freshet.registry.signature.Verdict;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Builds the {@link SignatureGate} of a workload that asks for signed images: its public keys from
 * a Secret, its signatures from the registry through the same client, credentials and rate limits
 * as digest checks. Verdicts are cached per repository, digest and key set, so a digest costs one
 * lookup when it is new, never one per poll; only "no signature yet" and a failed lookup are asked
 * again, at most once per {@link #RECHECK_AFTER}, because CI often signs right after it pushes.
 */
public final class SignatureChecks {
  /**
   * How long "unsigned" and a failed lookup stand before the registry is asked again; a workload
   * whose candidate is withheld for either looks again after this long by itself, since an
   * unchanged digest wakes no workload.
   */
  public static final Duration RECHECK_AFTER = Duration.ofSeconds(30);

  static final Duration KEYS_CACHED_FOR = Duration.ofSeconds(30);
  static final int VERDICTS_REMEMBERED = 10_000;

  private record Cached<T>(T value, Instant until) {}

  /** The Secret's keys as a verifier, or what is wrong with them. */
  private record Keys(Optional<SignatureVerifier> verifier, String problem) {
    static Keys of(SignatureVerifier verifier) {
      return new Keys(Optional.of(verifier), "");
    }

    static Keys invalid(String problem) {
      return new Keys(Optional.empty(), problem);
    }
  }

  private final KubernetesClient client;
  private final Resolver registry;
  private final Clock clock;
  private final Consumer<String> listener;
  private final Map<String, Cached<Keys>> keys = new ConcurrentHashMap<>();
  private final Map<String, Object> lookups = new ConcurrentHashMap<>();
  private final Map<String, Cached<Verdict>> verdicts =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached<Verdict>> eldest) {
              return size() > VERDICTS_REMEMBERED;
            }
          });

  /**
   * @param listener told of each lookup the registry answered (not of cache hits), for metrics:
   *     {@code verified}, {@code refused}, {@code unsigned} or {@code error}
   */
  public SignatureChecks(
      KubernetesClient client, Resolver registry, Clock clock, Consumer<String> listener) {
    this.client = client;
    this.registry = registry;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * The gate for an image of a workload in {@code namespace}; {@link SignatureGate#OPEN} when no
   * verification is asked for. A configuration that cannot work (keyless, a missing Secret, no
   * {@code .pub} key, a key that does not parse) withholds every candidate with the reason.
   */
  public SignatureGate gate(
      String namespace,
      Optional<VerifyConfig> config,
      ImageReference image,
      Optional<Credential> credential) {
    if (config.isEmpty()) {
      return SignatureGate.OPEN;
    }
    if (config.get().keyless()) {
      return invalid(VerifyConfig.KEYLESS_UNSUPPORTED);
    }
    if (config.get().keySecret().isEmpty()) {
      return invalid("verification asked for, but no Secret of public keys named");
    }
    Keys keys = keys(namespace, config.get().keySecret().get());
    if (keys.verifier().isEmpty()) {
      return invalid(keys.problem());
    }
    SignatureVerifier verifier = keys.verifier().get();
    return candidate -> outcome(verdict(image, candidate.digest(), credential, verifier));
  }

  private static SignatureGate invalid(String why) {
    var withheld = new SignatureGate.Outcome.Withheld("VerificationInvalid", why);
    return candidate -> withheld;
  }

  private static SignatureGate.Outcome outcome(Verdict verdict) {
    if (verdict instanceof Verdict.Verified) {
      return SignatureGate.Outcome.PASSED;
    }
    if (verdict instanceof Verdict.Refused refused) {
      return new SignatureGate.Outcome.Refused(refused.message());
    }
    return new SignatureGate.Outcome.Withheld("SignatureInvalid", verdict.message());
  }

  /** The verdict for one digest: cached, or looked up and verified now. */
  Verdict verdict(
      ImageReference image,
      String digest,
      Optional<Credential> credential,
      SignatureVerifier verifier) {
    String key =
        image.registry() + "/" + image.repository() + "@" + digest + "#" + verifier.fingerprint();
    // Many workloads on one image ask about a new digest at once: one of them looks it up, the
    // others wait for its verdict, so a digest costs one lookup however many follow it.
    Object lock = lookups.computeIfAbsent(key, k -> new Object());
    try {
      synchronized (lock) {
        return cachedOrLookedUp(key, image, digest, credential, verifier);
      }
    } finally {
      lookups.remove(key, lock);
    }
  }

  private Verdict cachedOrLookedUp(
      String key,
      ImageReference image,
      String digest,
      Optional<Credential> credential,
      SignatureVerifier verifier) {
    Instant now = clock.instant();
    Cached<Verdict> cached = verdicts.get(key);
    if (cached != null && (cached.until() == null || cached.until().isAfter(now))) {
      return cached.value();
    }
    Verdict verdict;
    Instant until;
    try {
      Digest parsed = Digest.parse(digest);
      verdict = verifier.verify(parsed, registry.signatures(image, parsed, credential));
      // A verdict on signatures found is final for this key set; "none yet" is not.
      until = verdict instanceof Verdict.Unsigned ? now.plus(RECHECK_AFTER) : null;
      listener.accept(verdict.result());
    } catch (RegistryException e) {
      verdict =
          new Verdict.Unsigned("the signature lookup for " + digest + " failed: " + e.getMessage());
      until = now.plus(RECHECK_AFTER);
      listener.accept("error");
    }
    verdicts.put(key, new Cached<>(verdict, until));
    return verdict;
  }

  /** The Secret's keys, through a short-lived cache: every poll result reconciles every App. */
  private Keys keys(String namespace, String secretName) {
    String cacheKey = namespace + "/" + secretName;
    Instant now = clock.instant();
    Cached<Keys> cached = keys.get(cacheKey);
    if (cached != null && cached.until().isAfter(now)) {
      return cached.value();
    }
    Keys value = readKeys(namespace, secretName);
    keys.put(cacheKey, new Cached<>(value, now.plus(KEYS_CACHED_FOR)));
    return value;
  }

  private Keys readKeys(String namespace, String secretName) {
    Secret secret = client.secrets().inNamespace(namespace).withName(secretName).get();
    String where = "Secret " + namespace + "/" + secretName;
    if (secret == null) {
      return Keys.invalid(where + " (the verification keys) does not exist");
    }
    Map<String, String> data = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, decode(v)));
    }
    if (secret.getStringData() != null) {
      data.putAll(secret.getStringData());
    }
    Map<String, PublicKey> publicKeys = new LinkedHashMap<>();
    for (Map.Entry<String, String> entry : data.entrySet()) {
      if (!entry.getKey().endsWith(".pub")) {
        continue;
      }
      try {
        publicKeys.put(entry.getKey(), PublicKeys.parse(entry.getValue()));
      } catch (IllegalArgumentException e) {
        return Keys.invalid(where + " key " + entry.getKey() + " " + e.getMessage());
      }
    }
    if (publicKeys.isEmpty()) {
      return Keys.invalid(
          where
              + " has no key ending in .pub (expected cosign public keys such as cosign.pub; it"
              + " has: "
              + (data.isEmpty() ? "nothing" : String.join(", ", data.keySet()))
              + ")");
    }
    return Keys.of(new KeyVerifier(publicKeys));
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
