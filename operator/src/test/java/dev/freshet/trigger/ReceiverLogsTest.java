package dev.freshet.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.server.ReceiverServer;
import dev.freshet.receive.server.StandardReceivers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The receivers log through {@code System.Logger}; in the operator those lines must reach logback
 * (and so its JSON encoder), not the JDK's own logging, which would print plain text to stderr.
 */
class ReceiverLogsTest {
  private final Logger serverLog = (Logger) LoggerFactory.getLogger(ReceiverServer.class.getName());
  private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

  @BeforeEach
  void capture() {
    captured.start();
    serverLog.addAppender(captured);
  }

  @AfterEach
  void release() {
    serverLog.detachAppender(captured);
  }

  @Test
  void aReceiverServerLineReachesLogback() throws Exception {
    try (ReceiverServer server =
        new StandardReceivers(Clock.systemUTC())
            .generic(Secret.of("log-test-secret"))
            .mount(
                ReceiverServer.builder()
                    .address(new InetSocketAddress("127.0.0.1", 0))
                    .sink(h -> {}))
            .build()
            .start()) {
      var unsigned =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/hooks/generic"))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      int status =
          HttpClient.newHttpClient()
              .send(unsigned, HttpResponse.BodyHandlers.discarding())
              .statusCode();
      assertThat(status).isEqualTo(401);
    }

    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(List.copyOf(captured.list))
                    .anySatisfy(
                        line -> {
                          assertThat(line.getLevel()).isEqualTo(Level.INFO);
                          assertThat(line.getFormattedMessage()).startsWith("generic: refused 401");
                        }));
  }
}
