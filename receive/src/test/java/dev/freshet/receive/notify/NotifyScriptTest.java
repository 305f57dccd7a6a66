package dev.freshet.receive.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.Routes;
import dev.freshet.receive.server.StandardReceivers;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline's last step, ci/tasks/notify.sh, reads what the image push left behind and gets the
 * pushed digest to a real receiver. The CLI is a stand-in with the same flags as {@code freshet
 * notify}.
 */
class NotifyScriptTest {

  private static final String DIGEST = "sha256:" + "e".repeat(64);

  private final List<ImageHint> sunk = new CopyOnWriteArrayList<>();
  private ReceiverServer server;

  @BeforeEach
  void start() throws Exception {
    server =
        new StandardReceivers(Clock.systemUTC())
            .generic(Secret.of("pipeline-secret"))
            .mount(
                ReceiverServer.builder()
                    .address(new InetSocketAddress("127.0.0.1", 0))
                    .sink(sunk::add))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void notifyShSendsTheDigestThePushReported(@TempDir Path dir) throws Exception {
    Path imageDir = Files.createDirectories(dir.resolve("demo-image"));
    Files.writeString(imageDir.resolve("repository"), "127.0.0.1:5000/demo/app");
    Files.writeString(imageDir.resolve("tag"), "dev");
    Files.writeString(imageDir.resolve("digest"), DIGEST + "\n");

    var result = runNotifySh(dir, imageDir, "pipeline-secret");

    assertThat(result.exit).as(result.output).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> !sunk.isEmpty());
    assertThat(sunk)
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.reference()).isEqualTo("127.0.0.1:5000/demo/app:dev");
              assertThat(h.digest()).contains(DIGEST);
            });
  }

  @Test
  void aRefusalFailsTheStepWithTheReceiversReason(@TempDir Path dir) throws Exception {
    Path imageDir = Files.createDirectories(dir.resolve("demo-image"));
    Files.writeString(imageDir.resolve("repository"), "127.0.0.1:5000/demo/app");
    Files.writeString(imageDir.resolve("tag"), "dev");
    Files.writeString(imageDir.resolve("digest"), DIGEST);

    var result = runNotifySh(dir, imageDir, "not-the-secret");

    assertThat(result.exit).isNotZero();
    assertThat(result.output).contains("401").contains("does not match");
    assertThat(sunk).isEmpty();
  }

  @Test
  void aConfigDigestIsNotSent(@TempDir Path dir) throws Exception {
    Path imageDir = Files.createDirectories(dir.resolve("image"));
    Files.writeString(imageDir.resolve("repository"), "127.0.0.1:5000/demo/app");
    Files.writeString(imageDir.resolve("tag"), "dev");
    Files.writeString(imageDir.resolve("digest"), "not-a-digest");

    var result = runNotifySh(dir, imageDir, "pipeline-secret");

    assertThat(result.exit).isNotZero();
    assertThat(result.output).contains("not a manifest digest");
  }

  private record Result(int exit, String output) {}

  private Result runNotifySh(Path dir, Path imageDir, String secret) throws Exception {
    Path root = repositoryRoot();
    Path cli = dir.resolve("freshet");
    Files.writeString(
        cli,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -cp '"
            + System.getProperty("java.class.path")
            + "' "
            + NotifyCommandStandIn.class.getName()
            + " \"$@\"\n");
    Files.setPosixFilePermissions(cli, PosixFilePermissions.fromString("rwx------"));
    Path secretFile = Files.writeString(dir.resolve("secret"), secret + "\n");
    Path log = dir.resolve("notify.log");
    ProcessBuilder pb =
        new ProcessBuilder("bash", root.resolve("ci/tasks/notify.sh").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    Map<String, String> env = pb.environment();
    env.put("FRESHET_URL", "http://127.0.0.1:" + server.port() + Routes.GENERIC);
    env.put("FRESHET_SECRET_FILE", secretFile.toString());
    env.put("IMAGE_DIR", imageDir.toString());
    env.put("FRESHET", cli.toString());
    Process process = pb.start();
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("notify.sh finished").isTrue();
    return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  private static Path repositoryRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("ci/tasks/notify.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException("ci/tasks/notify.sh not found above the working directory");
  }
}
