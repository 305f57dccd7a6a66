package dev.freshet.receive.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.Outcome;
import dev.freshet.receive.ReceiverCounters;
import dev.freshet.receive.auth.GenericSignature;
import dev.freshet.receive.auth.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that send their request a byte at a time are cut off at the header or body deadline, and
 * while they trickle, an authentic request is answered at once.
 */
class SlowClientsTest {
  private static final Secret SECRET = Secret.of("slow-clients-secret");
  private static final String HEAD_START = "POST /hooks/generic HTTP/1.1\r\nHost: receiver\r\n";

  private final ReceiverCounters counters = new ReceiverCounters();
  private final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
  private final List<Socket> sockets = new ArrayList<>();
  private ReceiverServer server;

  @AfterEach
  void stop() throws IOException {
    trickle.shutdownNow();
    for (Socket socket : sockets) {
      socket.close();
    }
    server.close();
  }

  private void start(ReceiverServer.Builder builder) throws IOException {
    server =
        new StandardReceivers(Clock.systemUTC())
            .generic(SECRET)
            .mount(
                builder
                    .address(new InetSocketAddress("127.0.0.1", 0))
                    .sink(hint -> {})
                    .listener(counters))
            .build()
            .start();
  }

  /** A connection that sends {@code start} at once, then one more byte every {@code every}. */
  private Socket trickling(String start, Duration every) throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    sockets.add(socket);
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(start.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    trickle.scheduleAtFixedRate(
        () -> {
          try {
            out.write('x');
            out.flush();
          } catch (IOException closed) {
            // The server closed it; the test reads that on the other side.
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
    return socket;
  }

  /** Everything the server sent until it closed the connection. */
  private static String readUntilClosed(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    StringBuilder received = new StringBuilder();
    try {
      int b;
      while ((b = in.read()) != -1) {
        received.append((char) b);
      }
    } catch (SocketException reset) {
      // A reset is a close too: the server may close while our bytes are still unread.
    }
    return received.toString();
  }

  @Test
  void aConnectionTricklingItsHeadersIsClosedAtTheHeaderDeadline() throws Exception {
    start(ReceiverServer.builder().headerTimeout(Duration.ofSeconds(1)));

    Instant opened = Instant.now();
    Socket slow = trickling(HEAD_START + "X-Slow: ", Duration.ofMillis(200));
    String answer = readUntilClosed(slow);
    Duration lived = Duration.between(opened, Instant.now());

    System.out.printf("a client trickling its headers was closed after %d ms%n", lived.toMillis());
    // A byte every 200 ms would keep any idle timeout from firing: only the deadline closes it.
    assertThat(lived).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    assertThat(answer).isEmpty();
  }

  @Test
  void aBodyTricklingInIsAnswered408AtTheBodyDeadline() throws Exception {
    start(ReceiverServer.builder().bodyTimeout(Duration.ofSeconds(1)));

    Instant opened = Instant.now();
    Socket slow =
        trickling(
            HEAD_START + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
            Duration.ofMillis(200));
    String answer = readUntilClosed(slow);
    Duration lived = Duration.between(opened, Instant.now());

    System.out.printf(
        "a client trickling its body was answered and closed after %d ms%n", lived.toMillis());
    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(lived).isBetween(Duration.ofMillis(900), Duration.ofSeconds(3));
    assertThat(counters.count("generic", Outcome.REFUSED)).isEqualTo(1);
  }

  @Test
  void beyondTheConnectionLimitANewConnectionWaitsUntilASlowOneIsCutOff() throws Exception {
    start(ReceiverServer.builder().maxConnections(2).headerTimeout(Duration.ofSeconds(1)));
    trickling(HEAD_START, Duration.ofMillis(200));
    trickling(HEAD_START, Duration.ofMillis(200));

    Instant sent = Instant.now();
    var unsigned =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + Routes.GENERIC))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    int status =
        HttpClient.newHttpClient()
            .send(unsigned, HttpResponse.BodyHandlers.discarding())
            .statusCode();
    Duration waited = Duration.between(sent, Instant.now());

    System.out.printf("the third connection was served after %d ms%n", waited.toMillis());
    // Held in the kernel's accept queue until the header deadline freed a slot, then served.
    assertThat(status).isEqualTo(401);
    assertThat(waited).isBetween(Duration.ofMillis(700), Duration.ofSeconds(4));
  }

  @Test
  void whileSlowClientsTrickleAnAuthenticRequestIsAnsweredAtOnce() throws Exception {
    start(ReceiverServer.builder());
    HttpClient http = HttpClient.newHttpClient();
    // A first authentic request loads the client's, the server's and the receiver's classes (HMAC,
    // JSON): the time measured below is the server's under load, not a cold JVM's.
    assertThat(http.send(signed("warm-up"), HttpResponse.BodyHandlers.discarding()).statusCode())
        .isEqualTo(202);
    for (int i = 0; i < 60; i++) {
      trickling(HEAD_START, Duration.ofSeconds(1));
    }
    for (int i = 0; i < 10; i++) {
      trickling(
          HEAD_START + "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n{",
          Duration.ofSeconds(1));
    }

    HttpRequest signed = signed("dev");
    Instant sent = Instant.now();
    var response = http.send(signed, HttpResponse.BodyHandlers.ofString());
    Duration took = Duration.between(sent, Instant.now());

    System.out.printf(
        "authentic request answered in %d ms beside 70 slow clients%n", took.toMillis());
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(took).isLessThan(Duration.ofSeconds(1));
  }

  private HttpRequest signed(String tag) {
    byte[] body =
        ("{\"image\":\"127.0.0.1:5000/demo/app\",\"tag\":\"" + tag + "\"}")
            .getBytes(StandardCharsets.UTF_8);
    long now = Instant.now().getEpochSecond();
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + Routes.GENERIC))
        // A server whose threads the slow clients hold would never answer.
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header(GenericSignature.TIMESTAMP_HEADER, Long.toString(now))
        .header(GenericSignature.SIGNATURE_HEADER, GenericSignature.sign(SECRET, now, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }
}
