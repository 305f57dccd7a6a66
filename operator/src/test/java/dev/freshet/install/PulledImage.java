package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.testbed.Registry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The operator image as a node gets it: the build's tarball (target/jib-image.tar) pushed to the
 * testbed registry, then pulled back by tag (manifest, config, layers, each checked against its
 * digest) and its layers unpacked into a root file system with their modes, as a container runtime
 * lays them out.
 */
record PulledImage(String digest, Path root, List<String> entrypoint, List<String> cmd) {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Pushes the build's image as {@code repository:tag} and pulls it into {@code root}. */
  static PulledImage pushAndPull(Registry registry, String repository, String tag, Path root)
      throws IOException, InterruptedException {
    String built = push(registry, repository, tag);
    HttpResponse<byte[]> manifest = get(registry, repository + "/manifests/" + tag);
    String digest = manifest.headers().firstValue("Docker-Content-Digest").orElseThrow();
    assertThat(digest).as("the registry serves the image the build made").isEqualTo(built);
    JsonNode manifestJson = JSON.readTree(manifest.body());
    JsonNode config =
        JSON.readTree(blob(registry, repository, manifestJson.path("config").path("digest")))
            .path("config");
    for (JsonNode layer : manifestJson.path("layers")) {
      byte[] bytes = blob(registry, repository, layer.path("digest"));
      try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
        unpack(Tar.read(in), root);
      }
    }
    // The image's root is the container's "/": readable and searchable by any user, as a
    // runtime's root file system is (a temporary directory is the creating user's only).
    Files.setPosixFilePermissions(root, permissions(0755));
    return new PulledImage(
        digest, root, strings(config.path("Entrypoint")), strings(config.path("Cmd")));
  }

  /** The tarball's OCI layout, uploaded blob by blob; returns the manifest's digest. */
  private static String push(Registry registry, String repository, String tag) throws IOException {
    Map<String, byte[]> entries = new HashMap<>();
    try (InputStream in = Files.newInputStream(Path.of("target", "jib-image.tar"))) {
      for (Tar.Entry e : Tar.read(in)) {
        entries.put(e.path(), e.content());
      }
    }
    JsonNode index = JSON.readTree(entries.get("index.json"));
    String digest = index.path("manifests").path(0).path("digest").asText();
    var pusher = registry.pusher();
    for (var entry : entries.entrySet()) {
      if (entry.getKey().startsWith("blobs/sha256/")
          && !entry.getKey().endsWith(digest.substring("sha256:".length()))) {
        pusher.uploadBlob(repository, entry.getValue());
      }
    }
    byte[] manifest = entries.get("blobs/sha256/" + digest.substring("sha256:".length()));
    assertThat(pusher.putManifest(repository, tag, OCI_MANIFEST, manifest)).isEqualTo(digest);
    return digest;
  }

  private static byte[] blob(Registry registry, String repository, JsonNode digest)
      throws IOException, InterruptedException {
    byte[] bytes = get(registry, repository + "/blobs/" + digest.asText()).body();
    assertThat("sha256:" + sha256(bytes)).as("blob %s", digest).isEqualTo(digest.asText());
    return bytes;
  }

  private static void unpack(List<Tar.Entry> entries, Path root) throws IOException {
    for (Tar.Entry entry : entries) {
      Path path = root.resolve(entry.path()).normalize();
      if (!path.startsWith(root)) {
        throw new IOException("layer entry outside the root: " + entry.path());
      }
      if (entry.type() == '5') {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, permissions(entry.mode()));
      } else if (entry.isFile()) {
        Files.createDirectories(path.getParent());
        Files.write(path, entry.content());
        Files.setPosixFilePermissions(path, permissions(entry.mode()));
      } else {
        throw new IOException("unexpected entry type " + entry.type() + ": " + entry.path());
      }
    }
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    var set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
      PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_EXECUTE
    };
    for (int i = 0; i < order.length; i++) {
      if ((mode & (0400 >> i)) != 0) {
        set.add(order[i]);
      }
    }
    return set;
  }

  private static HttpResponse<byte[]> get(Registry registry, String path)
      throws IOException, InterruptedException {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(registry.apiBase() + path))
                .header("Accept", OCI_MANIFEST)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> strings(JsonNode array) {
    var list = new ArrayList<String>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
