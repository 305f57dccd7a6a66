package dev.freshet.registry.resolve;

import dev.freshet.registry.Digest;
import java.nio.charset.StandardCharsets;

/** Manifest bodies for fake registries, with their digests. */
final class Manifests {
  static final String CONFIG_DIGEST = "sha256:" + "c".repeat(64);
  static final String OCI_MANIFEST =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
          + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
          + CONFIG_DIGEST
          + "\",\"size\":2},\"layers\":[]}";

  static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  static String digestOf(String json) {
    return Digest.sha256Of(bytes(json)).toString();
  }

  private Manifests() {}
}
