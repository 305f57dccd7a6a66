package dev.freshet.receive;

import java.util.Objects;
import java.util.Optional;

/**
 * A notice that (registry, repository, tag) may have changed. Only a hint: the operator re-resolves
 * the tag against the registry with its own credentials, so the digest here is never deployed as
 * such (see receive/DESIGN.md). Every field is validated on construction, so a hint that exists is
 * well-formed.
 *
 * @param registry registry host, optionally with a port ({@code docker.io}, {@code 127.0.0.1:5000})
 * @param repository repository path in the distribution grammar ({@code library/nginx})
 * @param tag the tag that was pushed; never empty (an untagged push yields no hint)
 * @param digest the manifest digest the sender named, if it named a well-formed one
 * @param deliveryId the sender's id for this delivery (or a hash of the body when it gives none)
 * @param source which receiver produced it ({@code distribution}, {@code github}, …)
 */
public record ImageHint(
    String registry,
    String repository,
    String tag,
    Optional<String> digest,
    String deliveryId,
    String source) {

  public ImageHint {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(deliveryId, "deliveryId");
    Objects.requireNonNull(source, "source");
    if (!ImageNames.isRegistryHost(registry)) {
      throw new IllegalArgumentException("not a registry host: " + registry);
    }
    if (!ImageNames.isRepository(repository)) {
      throw new IllegalArgumentException("not a repository name: " + repository);
    }
    if (!ImageNames.isTag(tag)) {
      throw new IllegalArgumentException("not a tag: " + tag);
    }
    digest.ifPresent(
        d -> {
          if (!ImageNames.isDigest(d)) {
            throw new IllegalArgumentException("not a digest: " + d);
          }
        });
  }

  /** What the coalescer merges on: hints for the same key within a window become one. */
  public Key key() {
    return new Key(registry, repository, tag);
  }

  /** {@code registry/repository:tag}, for logs. */
  public String reference() {
    return registry + "/" + repository + ":" + tag;
  }

  /** The identity of a tagged image, without the digest and delivery details. */
  public record Key(String registry, String repository, String tag) {}
}
