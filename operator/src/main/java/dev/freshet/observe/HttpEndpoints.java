package dev.freshet.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * /healthz (the process works: restart it if not), /readyz (the operator started and its informers
 * are healthy) and /metrics (Prometheus text) on one JDK HTTP server.
 */
public class HttpEndpoints implements AutoCloseable {

  private final HttpServer server;

  public HttpEndpoints(
      InetSocketAddress address, Supplier<RuntimeInfo> runtime, PrometheusMeterRegistry metrics)
      throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.createContext(
        "/healthz",
        exchange -> {
          var info = runtime.get();
          boolean healthy = !info.isStarted() || info.allEventSourcesAreHealthy();
          respond(exchange, healthy ? 200 : 503, healthy ? "ok\n" : unhealthy(info));
        });
    server.createContext(
        "/readyz",
        exchange -> {
          var info = runtime.get();
          boolean ready = info.isStarted() && info.allEventSourcesAreHealthy();
          respond(exchange, ready ? 200 : 503, ready ? "ready\n" : "not ready\n");
        });
    server.createContext(
        "/metrics",
        exchange -> respond(exchange, 200, metrics.scrape(), "text/plain; version=0.0.4"));
  }

  public void start() {
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static String unhealthy(RuntimeInfo info) {
    return "unhealthy event sources: " + info.unhealthyEventSources().keySet() + "\n";
  }

  private static void respond(HttpExchange exchange, int code, String body) throws IOException {
    respond(exchange, code, body, "text/plain; charset=utf-8");
  }

  private static void respond(HttpExchange exchange, int code, String body, String contentType)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(code, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
