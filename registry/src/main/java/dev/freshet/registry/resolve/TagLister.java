package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.LinkHeader;
import dev.freshet.registry.http.RegistryResponse;
import dev.freshet.registry.http.RegistryTransport;
import java.net.URI;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET /v2/<name>/tags/list}, following {@code Link: <…>; rel="next"} page by page. Pages
 * stay on the registry's own origin, so a hostile Link cannot send our token elsewhere.
 */
final class TagLister {
  static final int MAX_PAGE_BYTES = 4 * 1024 * 1024;
  static final int MAX_PAGES = 1000;

  private final RegistryTransport transport;
  private final int pageSize;

  TagLister(RegistryTransport transport, int pageSize) {
    this.transport = transport;
    this.pageSize = pageSize;
  }

  List<String> list(ImageReference ref, Optional<Credential> credential, Priority priority) {
    URI first =
        transport.apiBase(ref.registry()).resolve(ref.repository() + "/tags/list?n=" + pageSize);
    Set<String> tags = new LinkedHashSet<>();
    Set<URI> visited = new HashSet<>();
    URI page = first;
    while (page != null) {
      if (!visited.add(page) || visited.size() > MAX_PAGES) {
        throw new InvalidResponseException(
            ref.registry(), "tag listing of " + ref.name() + " does not end (at " + page + ")");
      }
      RegistryResponse response =
          transport.send(Calls.tags(transport, ref, page, credential, priority));
      JsonNode body = ManifestBodies.json(ref.registry(), response);
      for (JsonNode tag : body.path("tags")) {
        if (tag.isTextual()) {
          tags.add(tag.asText());
        }
      }
      page = nextPage(ref, first, page, response).orElse(null);
    }
    return List.copyOf(tags);
  }

  private static Optional<URI> nextPage(
      ImageReference ref, URI first, URI current, RegistryResponse response) {
    Optional<String> next = LinkHeader.next(response.headers().allValues("Link"));
    if (next.isEmpty()) {
      return Optional.empty();
    }
    URI target;
    try {
      target = current.resolve(next.get());
    } catch (IllegalArgumentException e) {
      throw new InvalidResponseException(ref.registry(), "unusable Link header " + next.get());
    }
    if (target.getHost() == null
        || !first.getScheme().equalsIgnoreCase(target.getScheme())
        || !first.getHost().equalsIgnoreCase(target.getHost())
        || first.getPort() != target.getPort()) {
      throw new InvalidResponseException(
          ref.registry(), "tag listing's next page " + target + " is on another origin");
    }
    return Optional.of(target);
  }
}
