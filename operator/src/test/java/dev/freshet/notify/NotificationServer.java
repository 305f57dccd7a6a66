package dev.freshet.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.receive.InboundRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on loopback (the JDK's) standing in for Slack, Teams or a team's own webhook:
 * it records every request with its arrival time and answers as the test scripts it — a sequence of
 * statuses, then 200 — or never answers at all.
 */
final class NotificationServer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as it arrived. */
  record Received(Instant at, Map<String, List<String>> headers, byte[] body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** The request as Freshet's own receivers see one, for their signature check. */
    InboundRequest inbound() {
      return new InboundRequest("POST", "/", headers, body);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ConcurrentLinkedDeque<Answer> script = new ConcurrentLinkedDeque<>();
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger hanging = new AtomicInteger();
  private volatile boolean hang;

  /** A scripted answer: a status and, if set, a Retry-After header. */
  record Answer(int status, String retryAfter) {}

  NotificationServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  /** Answers the next requests with these statuses, in order, then 200 again. */
  NotificationServer answering(Answer... answers) {
    script.addAll(List.of(answers));
    return this;
  }

  /** Takes every request and never answers it (until closed). */
  NotificationServer hanging() {
    hang = true;
    return this;
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/freshet?team=payments");
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** How many requests are being held unanswered right now, or were. */
  int hung() {
    return hanging.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    received.add(new Received(Instant.now(), Map.copyOf(exchange.getRequestHeaders()), body));
    if (hang) {
      hanging.incrementAndGet();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    Answer answer = script.poll();
    int status = answer == null ? 200 : answer.status();
    if (answer != null && answer.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
    }
    byte[] reply = (status == 200 ? "ok" : "scripted " + status).getBytes();
    exchange.sendResponseHeaders(status, reply.length);
    exchange.getResponseBody().write(reply);
    exchange.close();
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
  }
}
