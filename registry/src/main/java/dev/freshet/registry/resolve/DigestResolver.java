package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.RegistryResponse;
import dev.freshet.registry.http.RegistryTransport;
import java.util.Optional;

/**
 * Tag → digest. A {@code HEAD} of the manifest reads {@code Docker-Content-Digest}; a registry that
 * omits it gets a {@code GET} and we hash the body ourselves (within a size cap).
 */
final class DigestResolver {
  private final RegistryTransport transport;

  DigestResolver(RegistryTransport transport) {
    this.transport = transport;
  }

  ResolvedImage resolve(ImageReference ref, Optional<Credential> credential, Priority priority) {
    RegistryResponse head =
        transport.send(Calls.manifest(transport, ref, "HEAD", credential, priority));
    Optional<Digest> declared = ManifestBodies.declaredDigest(ref.registry(), head);
    if (declared.isPresent()) {
      checkPinned(ref, declared.get());
      String mediaType = ManifestBodies.mediaType(head, null);
      return new ResolvedImage(pinned(ref, declared.get()), declared.get(), mediaType);
    }
    RegistryResponse get =
        transport.send(Calls.manifest(transport, ref, "GET", credential, priority));
    Digest digest = ManifestBodies.verifiedDigest(ref.registry(), get, ref.digest());
    JsonNode body = ManifestBodies.json(ref.registry(), get);
    return new ResolvedImage(pinned(ref, digest), digest, ManifestBodies.mediaType(get, body));
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
