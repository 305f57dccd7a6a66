package dev.freshet.receive.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.ReceiverListener;
import dev.freshet.receive.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * The webhook endpoint: a JDK {@link HttpServer} (or {@link HttpsServer} given an {@link
 * SSLContext}) on its own port, routing paths to receivers. It answers at once — 202 when accepted,
 * 4xx with a reason when refused — and hands accepted hints to the sink on a separate thread, so a
 * slow sink never delays a sender (registries retry on timeouts and back their queues up).
 *
 * <p>Checks in order: route (404), method (405), body size (413), then the receiver's own media
 * type (415), authenticity (401) and content (400) checks. See {@link Routes} for the documented
 * paths.
 */
public final class ReceiverServer implements AutoCloseable {

  /** Webhook bodies are small; anything near this is not a webhook. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  private static final System.Logger LOG = System.getLogger(ReceiverServer.class.getName());

  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final ExecutorService sinkThread;
  private final Map<String, Receiver> exact;
  private final Map<String, Receiver> prefixed;
  private final Consumer<ImageHint> sink;
  private final ReceiverListener listener;
  private final int maxBodyBytes;

  private ReceiverServer(Builder b) throws IOException {
    this.exact = Map.copyOf(b.exact);
    this.prefixed = Map.copyOf(b.prefixed);
    this.sink = Objects.requireNonNull(b.sink, "a sink is required");
    this.listener = b.listener;
    this.maxBodyBytes = b.maxBodyBytes;
    if (b.sslContext != null) {
      HttpsServer https = HttpsServer.create(b.address, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(b.sslContext));
      this.server = https;
    } else {
      this.server = HttpServer.create(b.address, 0);
    }
    // Never the default executor: it is the single dispatcher thread, and one slow client would
    // stall all.
    this.requestThreads = Executors.newFixedThreadPool(b.threads, daemon("freshet-receiver-"));
    this.sinkThread = Executors.newSingleThreadExecutor(daemon("freshet-receiver-sink-"));
    server.setExecutor(requestThreads);
    server.createContext("/", this::handle);
  }

  public static Builder builder() {
    return new Builder();
  }

  public ReceiverServer start() {
    server.start();
    return this;
  }

  /** The bound port, useful when the builder asked for port 0. */
  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
    requestThreads.shutdownNow();
    sinkThread.shutdown();
    try {
      sinkThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      Optional<Receiver> receiver = route(path);
      if (receiver.isEmpty()) {
        respond(exchange, "unrouted", new Verdict.Refused(404, "no receiver at " + path));
        return;
      }
      String source = receiver.get().source();
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        respond(exchange, source, new Verdict.Refused(405, "only POST is accepted"));
        return;
      }
      Optional<byte[]> body = readBody(exchange);
      if (body.isEmpty()) {
        respond(
            exchange,
            source,
            new Verdict.Refused(413, "body larger than " + maxBodyBytes + " bytes"));
        return;
      }
      InboundRequest request =
          new InboundRequest("POST", path, exchange.getRequestHeaders(), body.get());
      Verdict verdict = receiver.get().receive(request);
      respond(exchange, source, verdict);
      if (verdict instanceof Verdict.Accepted accepted) {
        if (!accepted.skipped().isEmpty()) {
          LOG.log(System.Logger.Level.DEBUG, "{0}: skipped {1}", source, accepted.skipped());
        }
        handOver(accepted.hints());
      }
    }
  }

  private Optional<Receiver> route(String path) {
    Receiver r = exact.get(path);
    if (r != null) {
      return Optional.of(r);
    }
    // A prefixed route is followed by exactly one segment, the token.
    int slash = path.lastIndexOf('/');
    return Optional.ofNullable(prefixed.get(path.substring(0, slash + 1)));
  }

  /** The body, or empty if it is larger than allowed. Reads at most one byte past the limit. */
  private Optional<byte[]> readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > maxBodyBytes) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        // The JDK server has already refused a malformed Content-Length; read and count instead.
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      return body.length > maxBodyBytes ? Optional.empty() : Optional.of(body);
    }
  }

  private void respond(HttpExchange exchange, String source, Verdict verdict) throws IOException {
    String text;
    if (verdict instanceof Verdict.Accepted a) {
      text =
          "accepted: "
              + a.hints().size()
              + " hint(s)"
              + (a.skipped().isEmpty() ? "" : "; skipped: " + String.join("; ", a.skipped()));
    } else {
      text = ((Verdict.Refused) verdict).reason();
    }
    // Counted before the answer goes out, so whoever has the answer also sees it counted.
    listener.requestHandled(source, verdict.outcome(), verdict.status());
    byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(verdict.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    if (verdict.outcome() == Outcome.REFUSED) {
      LOG.log(
          System.Logger.Level.INFO, "{0}: refused {1}: {2}", source, verdict.status(), text.trim());
    }
  }

  private void handOver(List<ImageHint> hints) {
    if (hints.isEmpty()) {
      return;
    }
    sinkThread.execute(
        () -> {
          for (ImageHint hint : hints) {
            try {
              sink.accept(hint);
            } catch (RuntimeException e) {
              LOG.log(System.Logger.Level.WARNING, "the sink failed on " + hint.reference(), e);
              listener.sinkFailed(hint, e);
            }
          }
        });
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + counter.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** Configures routes, sink, listener, limits and TLS. */
  public static final class Builder {
    private InetSocketAddress address = new InetSocketAddress("0.0.0.0", 8443);
    private final Map<String, Receiver> exact = new LinkedHashMap<>();
    private final Map<String, Receiver> prefixed = new LinkedHashMap<>();
    private Consumer<ImageHint> sink;
    private ReceiverListener listener = ReceiverListener.NONE;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int threads = 4;
    private SSLContext sslContext;

    private Builder() {}

    public Builder address(InetSocketAddress address) {
      this.address = address;
      return this;
    }

    /**
     * Routes a path to a receiver. A path ending in {@code /} is a prefix followed by one more
     * segment (the token of Docker Hub and Quay); any other path must match exactly.
     */
    public Builder route(String path, Receiver receiver) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("a route starts with '/': " + path);
      }
      (path.endsWith("/") ? prefixed : exact).put(path, Objects.requireNonNull(receiver));
      return this;
    }

    public Builder sink(Consumer<ImageHint> sink) {
      this.sink = sink;
      return this;
    }

    public Builder listener(ReceiverListener listener) {
      this.listener = Objects.requireNonNull(listener);
      return this;
    }

    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1) {
        throw new IllegalArgumentException("maxBodyBytes must be positive");
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    public Builder threads(int threads) {
      this.threads = threads;
      return this;
    }

    /**
     * Serves HTTPS with this context; without it, plain HTTP (for a TLS-terminating proxy or
     * tests).
     */
    public Builder tls(SSLContext sslContext) {
      this.sslContext = sslContext;
      return this;
    }

    /** Binds the port; call {@link ReceiverServer#start()} to begin serving. */
    public ReceiverServer build() throws IOException {
      return new ReceiverServer(this);
    }
  }
}
