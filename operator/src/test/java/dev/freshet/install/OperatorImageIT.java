package dev.freshet.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freshet.app.api.App;
import dev.freshet.it.AppCrd;
import dev.freshet.it.Apps;
import dev.freshet.it.OperatorProcess;
import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import dev.freshet.testbed.TestNamespace;
import dev.freshet.testbed.Testbed;
import dev.freshet.testbed.WithTestbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator image the build leaves in target/jib-image.tar: pushed to a registry it keeps the
 * digest the build recorded (the one install.yaml names), it runs the operator's main as
 * 65532:65532 with no shell in any layer, and its runtime and classpath, unpacked, run an operator
 * that reconciles an App on the testbed.
 */
@WithTestbed
class OperatorImageIT {

  private static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path TARGET = Path.of("target");
  private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh", "busybox");

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void pushedImageKeepsTheBuiltDigestAndRunsTheOperatorAsNonRootWithoutAShell(
      Testbed testbed, TestNamespace ns) throws Exception {
    Image image = Image.read();
    String built = Files.readString(TARGET.resolve("jib-image.digest")).trim();
    assertThat(image.digest())
        .as("the tarball's manifest is the one Jib reported")
        .isEqualTo(built);

    Registry registry = testbed.registry();
    String repository = "freshet/" + ns.name();
    var pusher = registry.pusher();
    for (String blob : image.blobDigests()) {
      assertThat(pusher.uploadBlob(repository, image.blob(blob))).isEqualTo(blob);
    }
    assertThat(pusher.putManifest(repository, "0.1.0", OCI_MANIFEST, image.manifest()))
        .isEqualTo(built);
    assertThat(
            get(registry, repository + "/manifests/0.1.0")
                .headers()
                .firstValue("Docker-Content-Digest"))
        .hasValue(built);

    JsonNode config =
        JSON.readTree(get(registry, repository + "/blobs/" + image.configDigest()).body())
            .path("config");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    List<String> entrypoint = strings(config.path("Entrypoint"));
    assertThat(entrypoint.get(0)).isEqualTo("/opt/java/bin/java");
    assertThat(entrypoint.get(entrypoint.size() - 1)).isEqualTo("dev.freshet.cli.Main");
    assertThat(entrypoint).contains("-Djava.io.tmpdir=/tmp");
    // Sized to the container's limit, with a collector that gives memory back (README "JVM flags").
    assertThat(entrypoint)
        .contains(
            "-XX:MaxRAMPercentage=50",
            "-XX:TrimNativeHeapInterval=60000",
            "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError");
    assertThat(strings(config.path("Env"))).contains("MALLOC_ARENA_MAX=2");
    assertThat(strings(config.path("Cmd"))).containsExactly("operator");

    List<Tar.Entry> files = image.files();
    assertThat(files)
        .extracting(Tar.Entry::path)
        .contains("opt/java/bin/java", "app/jib-classpath-file");
    assertThat(files)
        .as("no shell, and no bin directory but the runtime's")
        .noneMatch(f -> SHELLS.contains(f.path().substring(f.path().lastIndexOf('/') + 1)))
        .noneMatch(f -> f.path().matches("(usr/)?s?bin/.+"));
  }

  @Test
  void unpackedImageRunsAnOperatorThatReconcilesAnApp(
      KubernetesClient client, TestNamespace ns, Testbed testbed, @TempDir Path root)
      throws Exception {
    Image image = Image.read();
    image.unpack(root);
    Files.createDirectories(root.resolve("tmp"));
    // The entrypoint as the image runs it, with every absolute path moved under the unpacked root.
    String classpath =
        Pattern.compile("(^|:)/")
            .matcher(Files.readString(root.resolve("app/jib-classpath-file")).trim())
            .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + root + "/"));
    Files.writeString(root.resolve("app/rooted-classpath-file"), classpath);
    List<String> launcher = new ArrayList<>();
    for (String arg : image.entrypoint()) {
      if (arg.equals("@/app/jib-classpath-file")) {
        launcher.add("@" + root.resolve("app/rooted-classpath-file"));
      } else if (arg.startsWith("/")) {
        launcher.add(root + arg);
      } else {
        launcher.add(arg.replaceFirst("=/", Matcher.quoteReplacement("=" + root + "/")));
      }
    }

    AppCrd.install(testbed.client());
    PushedImage pushed = testbed.registry().pusher().push("demo/" + ns.name(), "dev");
    Path log = TARGET.resolve("operator-image-" + ns.name() + ".log");
    try (var operator =
        OperatorProcess.start(
            launcher,
            log,
            List.of(
                "--kubeconfig=" + testbed.kubeconfig(),
                "--namespace=" + ns.name(),
                "--no-leader-election",
                // The receivers too: Jetty is part of what the runtime must carry.
                "--receiver-addr=127.0.0.1:" + freePort(),
                "--webhook-namespace=" + ns.name()))) {
      await().atMost(Duration.ofSeconds(120)).until(operator::isReady);
      App app = Apps.app("web");
      app.getSpec().setImage(pushed.reference());
      client.resource(app).create();
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                App now = client.resources(App.class).withName("web").get();
                assertThat(now.getStatus()).isNotNull();
                assertThat(now.getStatus().getImage()).isNotNull();
                assertThat(now.getStatus().getImage().getRunningDigest())
                    .isEqualTo(pushed.digest());
              });
    }
    assertThat(Files.readString(log))
        .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private HttpResponse<byte[]> get(Registry registry, String path) throws Exception {
    var response =
        http.send(
            HttpRequest.newBuilder(URI.create(registry.apiBase() + path))
                .header("Accept", OCI_MANIFEST)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return response;
  }

  private static List<String> strings(JsonNode array) {
    var list = new ArrayList<String>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }

  /** The OCI image layout inside Jib's tarball: index, manifest, config and layers. */
  private record Image(String digest, byte[] manifest, Map<String, byte[]> blobs) {

    static Image read() throws IOException {
      Map<String, byte[]> entries = new HashMap<>();
      try (InputStream in = Files.newInputStream(TARGET.resolve("jib-image.tar"))) {
        for (Tar.Entry e : Tar.read(in)) {
          entries.put(e.path(), e.content());
        }
      }
      JsonNode index = JSON.readTree(entries.get("index.json"));
      String digest = index.path("manifests").path(0).path("digest").asText();
      Map<String, byte[]> blobs =
          entries.entrySet().stream()
              .filter(e -> e.getKey().startsWith("blobs/sha256/"))
              .collect(
                  Collectors.toMap(
                      e -> "sha256:" + e.getKey().substring("blobs/sha256/".length()),
                      Map.Entry::getValue));
      return new Image(digest, blobs.get(digest), blobs);
    }

    JsonNode manifestJson() throws IOException {
      return JSON.readTree(manifest);
    }

    String configDigest() throws IOException {
      return manifestJson().path("config").path("digest").asText();
    }

    List<String> layerDigests() throws IOException {
      var digests = new ArrayList<String>();
      manifestJson().path("layers").forEach(l -> digests.add(l.path("digest").asText()));
      return digests;
    }

    List<String> blobDigests() throws IOException {
      var digests = new ArrayList<>(layerDigests());
      digests.add(configDigest());
      return digests;
    }

    byte[] blob(String digest) {
      return blobs.get(digest);
    }

    List<String> entrypoint() throws IOException {
      return strings(JSON.readTree(blob(configDigest())).path("config").path("Entrypoint"));
    }

    /** Every entry of every layer, in layer order. */
    List<Tar.Entry> files() throws IOException {
      var files = new ArrayList<Tar.Entry>();
      for (String layer : layerDigests()) {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(blob(layer)))) {
          files.addAll(Tar.read(in));
        }
      }
      return files;
    }

    void unpack(Path root) throws IOException {
      for (Tar.Entry entry : files()) {
        Path path = root.resolve(entry.path());
        if (entry.type() == '5') {
          Files.createDirectories(path);
        } else if (entry.isFile()) {
          Files.createDirectories(path.getParent());
          Files.write(path, entry.content());
          if ((entry.mode() & 0100) != 0) {
            var permissions = EnumSet.copyOf(Files.getPosixFilePermissions(path));
            permissions.add(PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(path, permissions);
          }
        }
      }
    }
  }
}
