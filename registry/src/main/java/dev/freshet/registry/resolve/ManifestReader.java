package dev.freshet.registry.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.freshet.registry.Digest;
import dev.freshet.registry.ImageReference;
import dev.freshet.registry.InvalidReferenceException;
import dev.freshet.registry.InvalidResponseException;
import dev.freshet.registry.Priority;
import dev.freshet.registry.auth.Credential;
import dev.freshet.registry.http.RegistryResponse;
import dev.freshet.registry.http.RegistryTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fetches a manifest or index and says which platforms it runs on: an index lists them per entry; a
 * single manifest's platform is in its config blob.
 */
final class ManifestReader {
  private final RegistryTransport transport;

  ManifestReader(RegistryTransport transport) {
    this.transport = transport;
  }

  ImageManifest read(ImageReference ref, Optional<Credential> credential, Priority priority) {
    RegistryResponse response =
        transport.send(Calls.manifest(transport, ref, "GET", credential, priority));
    Digest digest = ManifestBodies.verifiedDigest(ref.registry(), response, ref.digest());
    JsonNode body = ManifestBodies.json(ref.registry(), response);
    String mediaType = ManifestBodies.mediaType(response, body);
    List<Platform> platforms =
        MediaTypes.isIndex(mediaType)
            ? indexPlatforms(body)
            : List.of(configPlatform(ref, body, credential, priority));
    return new ImageManifest(digest, mediaType, platforms);
  }

  private static List<Platform> indexPlatforms(JsonNode index) {
    List<Platform> platforms = new ArrayList<>();
    for (JsonNode entry : index.path("manifests")) {
      JsonNode p = entry.path("platform");
      if (p.path("os").isTextual() && p.path("architecture").isTextual()) {
        Platform platform =
            new Platform(
                p.get("os").asText(), p.get("architecture").asText(), p.path("variant").asText(""));
        if (!platform.isUnknown() && !platforms.contains(platform)) {
          platforms.add(platform);
        }
      }
    }
    return platforms;
  }

  private Platform configPlatform(
      ImageReference ref, JsonNode manifest, Optional<Credential> credential, Priority priority) {
    String configDigest = manifest.path("config").path("digest").asText("");
    Digest digest;
    try {
      digest = Digest.parse(configDigest);
    } catch (InvalidReferenceException e) {
      throw new InvalidResponseException(
          ref.registry(), "manifest of " + ref + " has no usable config digest");
    }
    RegistryResponse response =
        transport.send(Calls.blob(transport, ref, digest, credential, priority));
    ManifestBodies.verifiedDigest(ref.registry(), response, Optional.of(digest));
    JsonNode config = ManifestBodies.json(ref.registry(), response);
    if (!config.path("os").isTextual() || !config.path("architecture").isTextual()) {
      throw new InvalidResponseException(
          ref.registry(), "config of " + ref + " names no os/architecture");
    }
    return new Platform(
        config.get("os").asText(),
        config.get("architecture").asText(),
        config.path("variant").asText(""));
  }
}
