package dev.freshet.testbed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Pushes new, distinct OCI images into a testbed registry through the distribution API (blob
 * upload, then manifest PUT), the way a CI pipeline's push would, and returns the digest the
 * registry reports. Test code only: it speaks just enough of the API to create images, and checks
 * the registry's digest against its own.
 */
public final class ImagePusher {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  private static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  private static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Registry registry;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ImagePusher(Registry registry) {
    this.registry = registry;
  }

  /** Pushes a new linux/amd64 image under {@code repository:tag}. */
  public PushedImage push(String repository, String tag) {
    return push(repository, tag, "linux/amd64");
  }

  /**
   * Pushes a new single-platform image ({@code os/arch[/variant]}) under {@code repository:tag}.
   */
  public PushedImage push(String repository, String tag, String platform) {
    Manifest manifest = uploadImage(repository, platform);
    String digest = putManifest(repository, tag, OCI_MANIFEST, manifest.bytes);
    return new PushedImage(registry.host(), repository, tag, digest, Map.of(platform, digest));
  }

  /**
   * Pushes a multi-arch image: one new manifest per platform, pushed by digest, and an OCI index
   * over them under {@code repository:tag}. The returned digest is the index's.
   */
  public PushedImage pushMultiArch(String repository, String tag, String... platforms) {
    if (platforms.length == 0) {
      throw new IllegalArgumentException("a multi-arch image needs at least one platform");
    }
    Map<String, String> platformDigests = new LinkedHashMap<>();
    ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    var entries = index.putArray("manifests");
    for (String platform : platforms) {
      Manifest manifest = uploadImage(repository, platform);
      String digest = putManifest(repository, manifest.digest, OCI_MANIFEST, manifest.bytes);
      platformDigests.put(platform, digest);
      ObjectNode entry =
          entries
              .addObject()
              .put("mediaType", OCI_MANIFEST)
              .put("digest", digest)
              .put("size", manifest.bytes.length);
      platformNode(entry.putObject("platform"), platform);
    }
    String indexDigest = putManifest(repository, tag, OCI_INDEX, toBytes(index));
    return new PushedImage(registry.host(), repository, tag, indexDigest, platformDigests);
  }

  private record Manifest(byte[] bytes, String digest) {}

  private Manifest uploadImage(String repository, String platform) {
    var layer = new ImageLayer(UUID.randomUUID().toString());
    ObjectNode config = JSON.createObjectNode();
    platformNode(config, platform);
    config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(sha256(layer.tar));
    config.putObject("config").putObject("Labels").put("dev.freshet.testbed.pushed", "true");
    byte[] configBytes = toBytes(config);

    uploadBlob(repository, configBytes);
    uploadBlob(repository, layer.gzipped);

    ObjectNode manifest =
        JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    manifest
        .putObject("config")
        .put("mediaType", OCI_CONFIG)
        .put("digest", sha256(configBytes))
        .put("size", configBytes.length);
    manifest
        .putArray("layers")
        .addObject()
        .put("mediaType", OCI_LAYER)
        .put("digest", sha256(layer.gzipped))
        .put("size", layer.gzipped.length);
    byte[] bytes = toBytes(manifest);
    return new Manifest(bytes, sha256(bytes));
  }

  private static void platformNode(ObjectNode node, String platform) {
    List<String> parts = List.of(platform.split("/"));
    if (parts.size() < 2) {
      throw new IllegalArgumentException("platform must be os/arch[/variant]: " + platform);
    }
    node.put("os", parts.get(0)).put("architecture", parts.get(1));
    if (parts.size() > 2) {
      node.put("variant", parts.get(2));
    }
  }

  /** Uploads {@code blob} into the repository and returns its digest. */
  public String uploadBlob(String repository, byte[] blob) {
    String digest = sha256(blob);
    HttpResponse<String> start =
        send(
            request(URI.create(registry.apiBase() + repository + "/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    expect(start, 202, "start blob upload");
    URI location =
        URI.create(registry.apiBase())
            .resolve(
                start
                    .headers()
                    .firstValue("Location")
                    .orElseThrow(
                        () ->
                            new IllegalStateException("blob upload answered without a Location")));
    String separator = location.getQuery() == null ? "?" : "&";
    HttpResponse<String> finish =
        send(
            request(URI.create(location + separator + "digest=" + digest))
                // Without this content type the registry parses the body as a form and rejects the
                // digest.
                .header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)));
    expect(finish, 201, "finish blob upload");
    return digest;
  }

  /** Puts a manifest under a tag or digest and returns its digest. */
  public String putManifest(String repository, String reference, String mediaType, byte[] bytes) {
    HttpResponse<String> response =
        send(
            request(URI.create(registry.apiBase() + repository + "/manifests/" + reference))
                .header("Content-Type", mediaType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)));
    expect(response, 201, "put manifest " + repository + ":" + reference);
    String expected = sha256(bytes);
    String reported = response.headers().firstValue("Docker-Content-Digest").orElse(expected);
    if (!reported.equals(expected)) {
      throw new IllegalStateException(
          "registry reported digest " + reported + " for a manifest whose digest is " + expected);
    }
    return expected;
  }

  /**
   * Copies the manifest under {@code from} (a tag or digest) to the tag {@code to}, byte for byte,
   * as {@code crane tag} would: e.g. one digest's signatures moved under another digest's tag.
   */
  public void copyManifest(String repository, String from, String to) {
    HttpResponse<byte[]> response;
    try {
      response =
          http.send(
              request(URI.create(registry.apiBase() + repository + "/manifests/" + from))
                  .header("Accept", OCI_MANIFEST + ", " + OCI_INDEX)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new IllegalStateException("registry " + registry.host() + " unreachable", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "get manifest " + repository + ":" + from + ": HTTP " + response.statusCode());
    }
    String mediaType = response.headers().firstValue("Content-Type").orElse(OCI_MANIFEST);
    putManifest(repository, to, mediaType, response.body());
  }

  private HttpRequest.Builder request(URI uri) {
    var builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
    if (registry.username().isPresent()) {
      String credentials = registry.username().get() + ":" + registry.password().orElse("");
      builder.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
    return builder;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(
          "registry " + registry.host() + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to the registry", e);
    }
  }

  private static void expect(HttpResponse<String> response, int status, String what) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          what
              + ": expected HTTP "
              + status
              + ", got "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }

  private static byte[] toBytes(ObjectNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
