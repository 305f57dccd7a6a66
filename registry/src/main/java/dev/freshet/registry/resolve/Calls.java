package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.RegistryCall;
import dev.freshet.registry.http.RegistryTransport;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/** The /v2/ API's URLs and scopes for one repository. */
final class Calls {
  private Calls() {}

  static String pullScope(ImageReference ref) {
    return "repository:" + ref.repository() + ":pull";
  }

  static RegistryCall manifest(
      RegistryTransport transport,
      ImageReference ref,
      String method,
      Optional<Credential> credential,
      Priority priority) {
    URI uri =
        transport
            .apiBase(ref.registry())
            .resolve(ref.repository() + "/manifests/" + ref.manifestReference());
    return new RegistryCall(
        ref.registry(),
        method,
        uri,
        MediaTypes.ACCEPT,
        pullScope(ref),
        credential,
        priority,
        method.equals("HEAD") ? 0 : ManifestBodies.MAX_MANIFEST_BYTES);
  }

  static RegistryCall blob(
      RegistryTransport transport,
      ImageReference ref,
      Digest digest,
      Optional<Credential> credential,
      Priority priority) {
    URI uri = transport.apiBase(ref.registry()).resolve(ref.repository() + "/blobs/" + digest);
    return new RegistryCall(
        ref.registry(),
        "GET",
        uri,
        List.of(),
        pullScope(ref),
        credential,
        priority,
        ManifestBodies.MAX_MANIFEST_BYTES);
  }

  static RegistryCall tags(
      RegistryTransport transport,
      ImageReference ref,
      URI uri,
      Optional<Credential> credential,
      Priority priority) {
    return new RegistryCall(
        ref.registry(),
        "GET",
        uri,
        List.of("application/json"),
        pullScope(ref),
        credential,
        priority,
        TagLister.MAX_PAGE_BYTES);
  }
}
