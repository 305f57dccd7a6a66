package dev.freshet.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The demo service: a greeting on {@code /}, {@code /healthz} for probes, {@code /version} for
 * humans.
 */
public final class DemoServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(4);

  public DemoServer(InetSocketAddress address, String greeting, BuildInfo build)
      throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          // The root context also catches every unknown path; only "/" itself is the greeting.
          if (!exchange.getRequestURI().getPath().equals("/")) {
            reply(exchange, 404, "not found\n");
          } else {
            reply(exchange, 200, greeting + "\n");
          }
        });
    server.createContext("/healthz", exchange -> reply(exchange, 200, "ok\n"));
    server.createContext("/version", exchange -> reply(exchange, 200, build.version() + "\n"));
  }

  public DemoServer start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("GET")
          && !exchange.getRequestMethod().equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body = text.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }
}
