package dev.freshet.testbed;

import java.util.Map;

/**
 * An image the {@link ImagePusher} put into a registry.
 *
 * @param registry host:port of the registry
 * @param repository the repository path, e.g. {@code demo/app}
 * @param tag the tag it was pushed under
 * @param digest the manifest digest (for a multi-arch image, the index digest), {@code sha256:…}
 * @param platformDigests for a multi-arch image, each platform ({@code linux/arm64}) and its
 *     manifest digest; for a single image, its one platform
 */
public record PushedImage(
    String registry,
    String repository,
    String tag,
    String digest,
    Map<String, String> platformDigests) {

  /** {@code host:port/repository:tag}, as a workload would name it. */
  public String reference() {
    return registry + "/" + repository + ":" + tag;
  }

  /** {@code host:port/repository:tag@sha256:…}, pinned to this image's digest. */
  public String pinnedReference() {
    return reference() + "@" + digest;
  }
}
