package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;

/**
 * What a tag points at now.
 *
 * @param reference the reference asked for, pinned: {@code repo:tag@digest}
 * @param digest the manifest's digest; for a multi-arch image, the index digest
 * @param mediaType the manifest's media type, as the registry declared it
 */
public record ResolvedImage(ImageReference reference, Digest digest, String mediaType) {
  public boolean isMultiPlatform() {
    return MediaTypes.isIndex(mediaType);
  }
}
