package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.NotFoundException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.RegistryResponse;
import dev.freshet.registry.http.RegistryTransport;
import java.util.Optional;

/**
 * Tag → digest. A {@code HEAD} of the manifest reads {@code Docker-Content-Digest}; a registry that
 * omits it gets a {@code GET} and we hash the body ourselves (within a size cap).
 *
 * <p>A {@code HEAD} has no body to check its header against, so (when so built) a digest declared
 * for a tag is believed only once the registry has served a manifest by that digest whose bytes
 * hash to it: one {@code GET} per new digest and repository (what a node pulling it will fetch
 * anyway), none for a digest confirmed before. Without it a proxy or a registry that declares a
 * wrong digest would have Freshet pin an image that does not exist.
 */
final class DigestResolver {
  private final RegistryTransport transport;
  private final Optional<ConfirmedDigests> confirmed;

  /**
   * @param confirmed where confirmed digests are kept; empty to believe a declared digest as is
   */
  DigestResolver(RegistryTransport transport, Optional<ConfirmedDigests> confirmed) {
    this.transport = transport;
    this.confirmed = confirmed;
  }

  ResolvedImage resolve(ImageReference ref, Optional<Credential> credential, Priority priority) {
    RegistryResponse head =
        transport.send(Calls.manifest(transport, ref, "HEAD", credential, priority));
    Optional<Digest> declared = ManifestBodies.declaredDigest(ref.registry(), head);
    if (declared.isPresent()) {
      checkPinned(ref, declared.get());
      confirm(ref, declared.get(), credential, priority);
      String mediaType = ManifestBodies.mediaType(head, null);
      return new ResolvedImage(pinned(ref, declared.get()), declared.get(), mediaType);
    }
    RegistryResponse get =
        transport.send(Calls.manifest(transport, ref, "GET", credential, priority));
    Digest digest = ManifestBodies.verifiedDigest(ref.registry(), get, ref.digest());
    JsonNode body = ManifestBodies.json(ref.registry(), get);
    return new ResolvedImage(pinned(ref, digest), digest, ManifestBodies.mediaType(get, body));
  }

  /** Fetches a declared digest's manifest by digest once, unless asked by that digest already. */
  private void confirm(
      ImageReference ref, Digest declared, Optional<Credential> credential, Priority priority) {
    if (confirmed.isEmpty()
        || ref.digest().isPresent()
        || confirmed.get().contains(ref, declared)) {
      return;
    }
    RegistryResponse get;
    try {
      get =
          transport.send(
              Calls.manifest(transport, ref.withDigest(declared), "GET", credential, priority));
    } catch (NotFoundException e) {
      throw new InvalidResponseException(
          ref.registry(),
          ref
              + " was declared to be "
              + declared
              + " (Docker-Content-Digest), but the registry serves no manifest by that digest",
          e);
    }
    ManifestBodies.verifiedDigest(ref.registry(), get, Optional.of(declared));
    confirmed.get().add(ref, declared);
  }

  private static void checkPinned(ImageReference ref, Digest declared) {
    if (ref.digest().isPresent() && !ref.digest().get().equals(declared)) {
      throw new InvalidResponseException(
          ref.registry(), "asked for " + ref + " but the registry declared " + declared);
    }
  }

  private static ImageReference pinned(ImageReference ref, Digest digest) {
    return ref.withDigest(digest);
  }
}
