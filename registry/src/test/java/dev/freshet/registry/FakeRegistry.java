package dev.freshet.registry;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-process HTTP server on 127.0.0.1 that plays a registry's part a test needs, for behaviour
 * no real registry here can be made to show (each test says which). It records every request with
 * the moment it arrived and the moment it was answered, so tests can check "no request before the
 * deadline" from the server's side.
 */
public final class FakeRegistry implements AutoCloseable {
  /** One request as the server saw it. */
  public record Request(
      String method, URI uri, Map<String, List<String>> headers, Instant arrivedAt) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    public String path() {
      return uri.getPath();
    }
  }

  /** One answer; {@link #answeredAt} is set when it is sent. */
  public static final class Reply {
    final int status;
    final Headers headers = new Headers();
    final byte[] body;

    private Reply(int status, byte[] body) {
      this.status = status;
      this.body = body;
    }

    public static Reply status(int status) {
      return new Reply(status, new byte[0]);
    }

    public static Reply json(int status, String body) {
      return new Reply(status, body.getBytes(StandardCharsets.UTF_8))
          .header("Content-Type", "application/json");
    }

    public static Reply body(int status, byte[] body, String contentType) {
      return new Reply(status, body).header("Content-Type", contentType);
    }

    public Reply header(String name, String value) {
      headers.add(name, value);
      return this;
    }
  }

  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request) throws Exception;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Instant> answeredAt = new CopyOnWriteArrayList<>();

  private FakeRegistry(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> serve(exchange, handler));
    server.setExecutor(executor);
    server.start();
  }

  public static FakeRegistry start(Handler handler) throws IOException {
    return new FakeRegistry(handler);
  }

  private void serve(HttpExchange exchange, Handler handler) throws IOException {
    Request request =
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI(),
            Map.copyOf(exchange.getRequestHeaders()),
            Instant.now());
    requests.add(request);
    try (exchange) {
      Reply reply;
      try {
        reply = handler.handle(request);
      } catch (Exception e) {
        reply = Reply.json(599, "{\"test handler failed\":\"" + e + "\"}");
      }
      exchange.getResponseHeaders().putAll(reply.headers);
      boolean head = request.method().equals("HEAD");
      answeredAt.add(Instant.now());
      if (head || reply.body.length == 0) {
        if (head && reply.body.length > 0) {
          exchange.getResponseHeaders().set("Content-Length", String.valueOf(reply.body.length));
        }
        exchange.sendResponseHeaders(reply.status, -1);
      } else {
        exchange.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply.body);
        }
      }
    }
  }

  /** {@code 127.0.0.1:port}, as a registry in a reference. */
  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  public String url(String path) {
    return "http://" + host() + path;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String pathPrefix) {
    return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
  }

  /** When the n-th answer (0-based) left the server. */
  public Instant answeredAt(int index) {
    return answeredAt.get(index);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
