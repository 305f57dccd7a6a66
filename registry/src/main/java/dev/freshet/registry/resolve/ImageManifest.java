package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import java.util.List;

/**
 * A manifest or index and the platforms it can run on: each runnable entry of an index, or the one
 * platform of a single manifest's config.
 */
public record ImageManifest(Digest digest, String mediaType, List<Platform> platforms) {
  public ImageManifest {
    platforms = List.copyOf(platforms);
  }

  public boolean isIndex() {
    return MediaTypes.isIndex(mediaType);
  }

  /** Whether some entry runs where {@code wanted} is required. */
  public boolean supports(Platform wanted) {
    return platforms.stream().anyMatch(p -> p.satisfies(wanted));
  }
}
