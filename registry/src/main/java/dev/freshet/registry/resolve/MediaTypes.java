package dev.freshet.registry.resolve;

import java.util.List;
import java.util.Set;

/** The manifest media types the resolver asks for and understands. */
public final class MediaTypes {
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";

  /**
   * Index types first: a registry then answers with the index of a multi-arch image, so the digest
   * we pin is the index digest, the same one every node resolves whatever its architecture.
   */
  public static final List<String> ACCEPT =
      List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

  private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);

  private MediaTypes() {}

  public static boolean isIndex(String mediaType) {
    return mediaType != null && INDEXES.contains(baseType(mediaType));
  }

  /** {@code application/json; charset=utf-8} → {@code application/json}. */
  static String baseType(String contentType) {
    int semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
  }
}
