package dev.freshet.registry.http;

import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * One logical request to a registry's /v2/ API; the transport may send it several times (auth,
 * retries).
 *
 * @param registry the registry as written in references, for gates, errors and credentials
 * @param scope the token scope it needs, e.g. {@code repository:team/app:pull}
 * @param bodyLimit the largest body we accept; 0 for HEAD
 */
public record RegistryCall(
    String registry,
    String method,
    URI uri,
    List<String> accept,
    String scope,
    Optional<Credential> credential,
    Priority priority,
    int bodyLimit) {

  /** The same call to another URL (a redirect's target). */
  public RegistryCall withUri(URI target) {
    return new RegistryCall(
        registry, method, target, accept, scope, credential, priority, bodyLimit);
  }
}
