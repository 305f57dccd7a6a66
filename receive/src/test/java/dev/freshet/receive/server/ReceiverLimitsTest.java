package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.ReceiverCounters;
import dev.freshet.receive.RefusalReason;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import dev.freshet.receive.auth.SeenCache;
import dev.freshet.receive.sources.GenericReceiver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's own limits over real sockets: a client past its rate gets 429 with Retry-After
 * while another address is served, headers past their size get 431, garbage gets 400, a body past
 * the shared budget gets 429, a stalled sink drops hints it has no room for; each one counted with
 * its reason.
 */
class ReceiverLimitsTest {

  private static final Secret SECRET = Secret.of("limits-secret");
  private static final String BODY = "{\"image\":\"127.0.0.1:5000/demo/app\",\"tag\":\"dev\"}";

  private final List<ImageHint> sunk = new CopyOnWriteArrayList<>();
  private final ReceiverCounters counters = new ReceiverCounters();
  private ReceiverServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private void start(ReceiverServer.Builder builder) throws IOException {
    server =
        builder
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 1000)))
            .sink(sunk::add)
            .listener(counters)
            .build()
            .start();
  }

  @Test
  void aClientPastItsRateIsAnswered429WithRetryAfterWhileAnotherAddressIsServed() throws Exception {
    start(ReceiverServer.builder().clientRate(new ClientRate(1, 3)));

    List<String> answers = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      answers.add(exchange("127.0.0.2", signed(BODY + " ".repeat(i))));
    }
    String other = exchange("127.0.0.3", signed(BODY + "      "));

    assertThat(answers.subList(0, 3)).allSatisfy(a -> assertThat(a).startsWith("HTTP/1.1 202"));
    assertThat(answers.subList(3, 6))
        .allSatisfy(
            a ->
                assertThat(a)
                    .startsWith("HTTP/1.1 429")
                    .contains("Retry-After: 2")
                    .contains("more than 1 requests a second (burst 3) from 127.0.0.2"));
    assertThat(other).startsWith("HTTP/1.1 202");
    assertThat(counters.refusals("generic", RefusalReason.RATE_LIMITED)).isEqualTo(3);
    assertThat(counters.count("generic", Outcome.REFUSED)).isEqualTo(3);
    await().atMost(Duration.ofSeconds(5)).until(() -> sunk.size() == 4);
  }

  @Test
  void headersPastTheirSizeAreAnswered431AndCounted() throws Exception {
    start(ReceiverServer.builder());
    StringBuilder flood = new StringBuilder();
    for (int i = 0; flood.length() <= ReceiverServer.DEFAULT_MAX_HEADER_BYTES; i++) {
      flood.append("X-Flood-").append(i).append(": x\r\n");
    }
    String request =
        "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\n" + flood + "Content-Length: 0\r\n\r\n";

    assertThat(exchange("127.0.0.2", request.getBytes(StandardCharsets.US_ASCII)))
        .startsWith("HTTP/1.1 431");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> counters.refusals("unrouted", RefusalReason.HEADERS_TOO_LARGE) == 1);
    assertThat(counters.count("unrouted", Outcome.REFUSED)).isEqualTo(1);
    assertThat(sunk).isEmpty();
  }

  @Test
  void aRequestThatIsNotHttpIsAnswered400AndCounted() throws Exception {
    start(ReceiverServer.builder());

    assertThat(
            exchange(
                "127.0.0.2",
                "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\nno colon here\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)))
        .startsWith("HTTP/1.1 400");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> counters.refusals("unrouted", RefusalReason.MALFORMED_REQUEST) == 1);
  }

  @Test
  void aBodyPastTheSharedBudgetIsAnswered429WhileASmallOneIsAccepted() throws Exception {
    start(ReceiverServer.builder().maxBufferedBytes(1000));
    String large = "{\"image\":\"x\",\"pad\":\"" + "a".repeat(200_000) + "\"}";

    String answer = exchange("127.0.0.2", signed(large));
    String small = exchange("127.0.0.3", signed(BODY));

    assertThat(answer).startsWith("HTTP/1.1 429").contains("Retry-After: 1");
    assertThat(small).startsWith("HTTP/1.1 202");
    assertThat(counters.refusals("generic", RefusalReason.BUSY)).isEqualTo(1);
    // The refused body gave its share back: the next large one is refused by the budget again,
    // not because the first one still holds it; a body within the free share never draws on it.
    assertThat(exchange("127.0.0.4", signed(large))).startsWith("HTTP/1.1 429");
    assertThat(counters.refusals("generic", RefusalReason.BUSY)).isEqualTo(2);
  }

  @Test
  void hintsPastTheSinksQueueAreCountedAsSinkFailures() throws Exception {
    CountDownLatch stalled = new CountDownLatch(1);
    server =
        ReceiverServer.builder()
            .address(new InetSocketAddress("127.0.0.1", 0))
            .route(
                Routes.GENERIC,
                new GenericReceiver(
                    SECRET,
                    Clock.systemUTC(),
                    new SeenCache(Clock.systemUTC(), Duration.ofMinutes(11), 1000)))
            .maxPendingHints(1)
            .sink(
                hint -> {
                  try {
                    stalled.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                })
            .listener(counters)
            .build()
            .start();

    for (int i = 0; i < 4; i++) {
      assertThat(exchange("127.0.0.2", signed(BODY + " ".repeat(i)))).startsWith("HTTP/1.1 202");
    }
    // One hint in the sink, one in the queue, the rest dropped and counted.
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.sinkFailures() == 2);
    stalled.countDown();
  }

  private static byte[] signed(String body) {
    long now = Instant.now().getEpochSecond();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String head =
        "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\nContent-Type: application/json\r\n"
            + GenericSignature.TIMESTAMP_HEADER
            + ": "
            + now
            + "\r\n"
            + GenericSignature.SIGNATURE_HEADER
            + ": "
            + GenericSignature.sign(SECRET, now, bytes)
            + "\r\nContent-Length: "
            + bytes.length
            + "\r\n\r\n";
    byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head8.length + bytes.length];
    System.arraycopy(head8, 0, all, 0, head8.length);
    System.arraycopy(bytes, 0, all, head8.length, bytes.length);
    return all;
  }

  /** Sends one request from {@code localAddress} (any 127/8 address is loopback) and reads all. */
  private String exchange(String localAddress, byte[] request) throws IOException {
    try (Socket socket = new Socket()) {
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request);
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before the whole request is written (413, 429, 431).
      }
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }
}
