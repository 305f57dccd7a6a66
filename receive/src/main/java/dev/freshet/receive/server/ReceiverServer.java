package dev.freshet.receive.server;

import dev.freshet.receive.Ignored;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.OncePerKey;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.ReceiverListener;
import dev.freshet.receive.Verdict;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * The webhook endpoint: a Jetty server (HTTPS given an {@link SSLContext}) on its own port, routing
 * paths to receivers. It answers at once — 202 when accepted, 4xx with a reason when refused — and
 * hands accepted hints to the sink on a separate thread, so a slow sink never delays a sender
 * (registries retry on timeouts and back their queues up).
 *
 * <p>Checks in order: route (404), method (405), body size (413), then the receiver's own media
 * type (415), authenticity (401) and content (400) checks. See {@link Routes} for the documented
 * paths.
 *
 * <p>The endpoint faces the internet, so a slow or idle client must not cost more than a socket for
 * a bounded time. Jetty parses requests without holding a thread while it waits for bytes, and the
 * body is read the same way, so slow clients hold no request thread at all. On top of that:
 *
 * <ul>
 *   <li>the request line and headers must arrive within {@link #DEFAULT_HEADER_TIMEOUT} of the
 *       connection being opened, however steadily they trickle in (a byte a second would otherwise
 *       keep resetting the idle timeout);
 *   <li>the body must arrive within {@link #DEFAULT_BODY_TIMEOUT} of the headers (408 otherwise);
 *   <li>a connection silent for {@link #DEFAULT_IDLE_TIMEOUT} is closed;
 *   <li>at most {@link #DEFAULT_MAX_CONNECTIONS} connections are open at once; more wait in the
 *       kernel's accept queue until one closes;
 *   <li>every answer closes its connection: webhooks come one at a time, and a kept-alive
 *       connection would let a client trickle a second request's headers without a deadline.
 * </ul>
 *
 * The JDK's {@code HttpServer}, used before, reads headers on its request threads and has no
 * per-request deadline in JDK 17 other than process-wide system properties, so a few slow clients
 * took every thread.
 */
public final class ReceiverServer implements AutoCloseable {

  /** Webhook bodies are small; anything near this is not a webhook. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  /** From accepting a connection to the end of its request headers. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

  /**
   * From the end of the headers to the end of the body. A 1 MiB body needs 100 KiB/s to make it; a
   * real webhook body is a few KiB and arrives in one packet.
   */
  public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(10);

  /** Longest silence on a connection, at any stage. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Open connections at most. Each costs a socket and a buffer, not a thread; with the header
   * deadline, keeping them all busy takes a client opening 100 new connections a second.
   */
  public static final int DEFAULT_MAX_CONNECTIONS = 512;

  /**
   * Request threads at most. A request holds one only while its receiver checks a complete request
   * (microseconds to a millisecond), never while waiting for the client.
   */
  public static final int DEFAULT_THREADS = 16;

  private static final System.Logger LOG = System.getLogger(ReceiverServer.class.getName());
  private static final Duration IGNORED_LOG_PERIOD = Duration.ofMinutes(5);
  private static final int IGNORED_LOG_KEYS = 1024;

  private final Server server;
  private final ServerConnector connector;
  private final ExecutorService sinkThread;
  private final Map<String, Receiver> exact;
  private final Map<String, Receiver> prefixed;
  private final Consumer<ImageHint> sink;
  private final Predicate<ImageHint> followed;
  private final ReceiverListener listener;
  private final int maxBodyBytes;
  private final Duration bodyTimeout;
  private final HeaderDeadline headerDeadline;

  /**
   * Ignored events are logged at INFO, but a registry that sends the same uninteresting event for
   * every pull or every layer would flood the log: one line per (source, reason, image) per period.
   */
  private final OncePerKey ignoredLogged =
      new OncePerKey(Clock.systemUTC(), IGNORED_LOG_PERIOD, IGNORED_LOG_KEYS);

  private ReceiverServer(Builder b) throws IOException {
    this.exact = Map.copyOf(b.exact);
    this.prefixed = Map.copyOf(b.prefixed);
    this.sink = Objects.requireNonNull(b.sink, "a sink is required");
    this.followed = b.followed;
    this.listener = b.listener;
    this.maxBodyBytes = b.maxBodyBytes;
    this.bodyTimeout = b.bodyTimeout;

    QueuedThreadPool threads = new QueuedThreadPool(b.threads, Math.min(4, b.threads));
    threads.setName("freshet-receiver");
    threads.setDaemon(true);
    this.server = new Server(threads);
    server.setStopTimeout(0);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    HttpConnectionFactory http11 = new HttpConnectionFactory(http);
    // One acceptor and one selector: webhooks are few, and the machine may have two cores.
    if (b.sslContext != null) {
      SslContextFactory.Server tls = new SslContextFactory.Server();
      tls.setSslContext(b.sslContext);
      this.connector =
          new ServerConnector(
              server, 1, 1, new SslConnectionFactory(tls, http11.getProtocol()), http11);
    } else {
      this.connector = new ServerConnector(server, 1, 1, http11);
    }
    connector.setHost(b.address.getHostString());
    connector.setPort(b.address.getPort());
    connector.setIdleTimeout(b.idleTimeout.toMillis());
    this.headerDeadline = new HeaderDeadline(server.getScheduler(), b.headerTimeout);
    connector.addBean(headerDeadline);
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(b.maxConnections, connector));
    server.setHandler(new Routing());
    // Bound now, so the port is known before start (and taken, as a bound JDK server's was).
    connector.open();

    this.sinkThread = Executors.newSingleThreadExecutor(daemon("freshet-receiver-sink-"));
  }

  public static Builder builder() {
    return new Builder();
  }

  public ReceiverServer start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("the webhook endpoint did not start", e);
    }
    return this;
  }

  /** The bound port, useful when the builder asked for port 0. */
  public int port() {
    return connector.getLocalPort();
  }

  public InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), port());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.log(System.Logger.Level.WARNING, "stopping the webhook endpoint failed", e);
    }
    sinkThread.shutdown();
    try {
      sinkThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Routes a complete request head to its receiver; the body is read without holding a thread. */
  private final class Routing extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      headerDeadline.met(request.getConnectionMetaData().getConnection());
      Exchange exchange = new Exchange(request, response, callback);
      String path = request.getHttpURI().getPath();
      Optional<Receiver> receiver = route(path == null ? "/" : path);
      if (receiver.isEmpty()) {
        exchange.answer("unrouted", new Verdict.Refused(404, "no receiver at " + path));
        return true;
      }
      String source = receiver.get().source();
      if (!request.getMethod().equals("POST")) {
        response.getHeaders().put(HttpHeader.ALLOW, "POST");
        exchange.answer(source, new Verdict.Refused(405, "only POST is accepted"));
        return true;
      }
      if (request.getLength() > maxBodyBytes) {
        exchange.answer(source, tooLarge());
        return true;
      }
      Verdict.Refused tooSlow =
          new Verdict.Refused(
              408, "the body did not arrive within " + bodyTimeout.toMillis() + " ms");
      Scheduler.Task deadline =
          server.getScheduler().schedule(() -> exchange.answer(source, tooSlow), bodyTimeout);
      new BodyReader(
              request,
              body -> {
                deadline.cancel();
                if (body.isEmpty()) {
                  exchange.answer(source, tooLarge());
                  return;
                }
                InboundRequest inbound =
                    new InboundRequest("POST", path, headers(request), body.get());
                Verdict verdict = receiver.get().receive(inbound);
                if (exchange.answer(source, verdict)
                    && verdict instanceof Verdict.Accepted accepted) {
                  handOver(accepted.hints());
                }
              },
              failure -> {
                deadline.cancel();
                // The client went away or the connection timed out: nobody is left to answer.
                LOG.log(
                    System.Logger.Level.DEBUG,
                    "{0}: reading the body failed: {1}",
                    source,
                    failure.toString());
                exchange.abandon(failure);
              })
          .run();
      return true;
    }
  }

  private Verdict.Refused tooLarge() {
    return new Verdict.Refused(413, "body larger than " + maxBodyBytes + " bytes");
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

  private static Map<String, List<String>> headers(Request request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (HttpField field : request.getHeaders()) {
      headers.computeIfAbsent(field.getName(), k -> new ArrayList<>()).add(field.getValue());
    }
    return headers;
  }

  /**
   * Reads the body as it arrives, holding no thread while waiting, and gives up one byte past the
   * limit (the body is then empty).
   */
  private final class BodyReader implements Runnable {
    private final Request request;
    private final Consumer<Optional<byte[]>> done;
    private final Consumer<Throwable> failed;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BodyReader(Request request, Consumer<Optional<byte[]>> done, Consumer<Throwable> failed) {
      this.request = request;
      this.done = done;
      this.failed = failed;
    }

    @Override
    public void run() {
      while (true) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        if (Content.Chunk.isFailure(chunk)) {
          failed.accept(chunk.getFailure());
          return;
        }
        ByteBuffer bytes = chunk.getByteBuffer();
        boolean fits = body.size() + bytes.remaining() <= maxBodyBytes;
        if (fits) {
          byte[] copy = new byte[bytes.remaining()];
          bytes.get(copy);
          body.writeBytes(copy);
        }
        boolean last = chunk.isLast();
        chunk.release();
        if (!fits) {
          done.accept(Optional.empty());
          return;
        }
        if (last) {
          done.accept(Optional.of(body.toByteArray()));
          return;
        }
      }
    }
  }

  /** One request's answer, given at most once: by its receiver, or by the body deadline. */
  private final class Exchange {
    private final Request request;
    private final Response response;
    private final Callback callback;
    private final AtomicBoolean answered = new AtomicBoolean();

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /** Ends the exchange without an answer, unless one was sent already. */
    void abandon(Throwable failure) {
      if (answered.compareAndSet(false, true)) {
        callback.failed(failure);
      }
    }

    /** Sends the verdict unless one was sent already; true if this call sent it. */
    boolean answer(String source, Verdict verdict) {
      if (!answered.compareAndSet(false, true)) {
        return false;
      }
      String text;
      if (verdict instanceof Verdict.Accepted a) {
        List<String> unfollowed =
            a.hints().stream()
                .filter(hint -> !followed.test(hint))
                .map(ImageHint::reference)
                .toList();
        text =
            "accepted: "
                + a.hints().size()
                + " hint(s)"
                + (a.ignored().isEmpty() ? "" : "; ignored: " + String.join("; ", a.skipped()))
                + (unfollowed.isEmpty()
                    ? ""
                    : "; followed by no workload yet, kept a while for one that starts: "
                        + String.join(", ", unfollowed));
      } else {
        Verdict.Refused refused = (Verdict.Refused) verdict;
        // The stable reason is named as in the metric, so a pipeline's log says what to look for.
        text = refused.reason() + refused.why().map(why -> " [" + why.label() + "]").orElse("");
      }
      // Counted before the answer goes out, so whoever has the answer also sees it counted.
      listener.requestHandled(source, verdict.outcome(), verdict.status());
      if (verdict instanceof Verdict.Refused refused) {
        refused.why().ifPresent(why -> listener.refused(source, why));
      }
      if (verdict instanceof Verdict.Accepted a) {
        for (Ignored ignored : a.ignored()) {
          listener.ignored(source, ignored);
          logIgnored(source, ignored);
        }
      }
      if (verdict.outcome() == Outcome.REFUSED) {
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: refused {1}: {2}",
            source,
            verdict.status(),
            text.trim());
      }
      byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
      response.setStatus(verdict.status());
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
      response.write(true, ByteBuffer.wrap(bytes), callback);
      return true;
    }
  }

  private void logIgnored(String source, Ignored ignored) {
    String key = source + "\n" + ignored.reason().label() + "\n" + ignored.image();
    if (ignoredLogged.tryAcquire(key)) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: accepted without a re-check: {1} ({2}; repeats of this are not logged for {3}"
              + " min)",
          source,
          ignored,
          ignored.reason().words(),
          IGNORED_LOG_PERIOD.toMinutes());
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

  /**
   * Closes a connection whose request headers have not all arrived within the timeout of its
   * opening. Jetty's idle timeout alone does not: every trickled byte restarts it.
   */
  private static final class HeaderDeadline implements Connection.Listener {
    private final Scheduler scheduler;
    private final Duration timeout;
    private final Map<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

    HeaderDeadline(Scheduler scheduler, Duration timeout) {
      this.scheduler = scheduler;
      this.timeout = timeout;
    }

    @Override
    public void onOpened(Connection connection) {
      // Over TLS, the HTTP connection inside gets its own deadline; closing it closes the socket.
      if (connection instanceof SslConnection) {
        return;
      }
      EndPoint endPoint = connection.getEndPoint();
      pending.put(
          connection,
          scheduler.schedule(
              () -> {
                if (pending.remove(connection) != null) {
                  LOG.log(
                      System.Logger.Level.DEBUG,
                      "closing {0}: no complete request within {1} s",
                      endPoint.getRemoteSocketAddress(),
                      timeout.toSeconds());
                  endPoint.close();
                }
              },
              timeout));
    }

    /** The connection's request head is complete. */
    void met(Connection connection) {
      Scheduler.Task task = pending.remove(connection);
      if (task != null) {
        task.cancel();
      }
    }

    @Override
    public void onClosed(Connection connection) {
      met(connection);
    }
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
    private Predicate<ImageHint> followed = hint -> true;
    private ReceiverListener listener = ReceiverListener.NONE;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private int threads = DEFAULT_THREADS;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private Duration headerTimeout = DEFAULT_HEADER_TIMEOUT;
    private Duration bodyTimeout = DEFAULT_BODY_TIMEOUT;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
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

    /**
     * Whether some workload follows a hint's image, asked before answering so the sender learns at
     * once that a push changes nothing yet; it must be quick (an in-memory lookup). Default: yes.
     */
    public Builder followed(Predicate<ImageHint> followed) {
      this.followed = Objects.requireNonNull(followed);
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

    /** Request threads at most; Jetty's own acceptor and selector come out of the same pool. */
    public Builder threads(int threads) {
      if (threads < 8) {
        throw new IllegalArgumentException("Jetty needs at least 8 threads, got " + threads);
      }
      this.threads = threads;
      return this;
    }

    public Builder maxConnections(int maxConnections) {
      if (maxConnections < 1) {
        throw new IllegalArgumentException("maxConnections must be positive");
      }
      this.maxConnections = maxConnections;
      return this;
    }

    /** How long a connection may take, from its opening, to send its request line and headers. */
    public Builder headerTimeout(Duration headerTimeout) {
      this.headerTimeout = positive(headerTimeout, "headerTimeout");
      return this;
    }

    /** How long a request may take, after its headers, to send its body. */
    public Builder bodyTimeout(Duration bodyTimeout) {
      this.bodyTimeout = positive(bodyTimeout, "bodyTimeout");
      return this;
    }

    /** How long a connection may stay silent. */
    public Builder idleTimeout(Duration idleTimeout) {
      this.idleTimeout = positive(idleTimeout, "idleTimeout");
      return this;
    }

    private static Duration positive(Duration d, String name) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
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
