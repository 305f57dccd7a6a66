package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.Receiver;
import dev.freshet.receive.auth.Secret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class StandardReceiversTest {

  @Test
  void onlySourcesWithASecretGetARoute() throws Exception {
    StandardReceivers receivers =
        new StandardReceivers(Clock.systemUTC()).generic(Secret.of("g")).dockerHub(Secret.of("t"));

    assertThat(receivers.routes()).containsOnlyKeys(Routes.GENERIC, Routes.DOCKERHUB);
    assertThat(receivers.routes().values())
        .extracting(Receiver::source)
        .containsExactlyInAnyOrder("generic", "dockerhub");

    try (ReceiverServer server =
        receivers
            .mount(
                ReceiverServer.builder()
                    .address(new InetSocketAddress("127.0.0.1", 0))
                    .sink(h -> {}))
            .build()
            .start()) {
      assertThat(post(server, Routes.GITHUB)).isEqualTo(404);
      assertThat(post(server, Routes.GENERIC)).isEqualTo(401);
    }
  }

  private static int post(ReceiverServer server, String path)
      throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
