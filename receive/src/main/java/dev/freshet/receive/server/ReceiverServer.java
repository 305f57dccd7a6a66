package dev.freshet.receive.server;

import dev.freshet.receive.Ignored;
import dev.freshet.receive.ImageHint;
import dev.freshet.receive.InboundRequest;
import dev.freshet.receive.OncePerKey;
import dev.freshet.receive.Outcome;
import dev.freshet.receive.Receiver;
import dev.freshet.receive.ReceiverListener;
import dev.freshet.receive.RefusalReason;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.ByteBufferPool;
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
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
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
 * <p>Checks in order: request line and headers within {@link #DEFAULT_MAX_HEADER_BYTES} (431, or
 * 400 when they are not HTTP), the client address's rate (429 with {@code Retry-After}, see {@link
 * ClientRate}), route (404), method (405), body size (413), the memory budget for bodies (429 with
 * {@code Retry-After}), then the receiver's own media type (415), authenticity (401) and content
 * (400) checks. See {@link Routes} for the documented paths. Every refusal, Jetty's own included,
 * reaches the {@link ReceiverListener}; the endpoint's limits carry a {@link RefusalReason}.
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
 * <p>So what an attacker can make the endpoint hold is bounded, whatever it sends: {@link
 * #DEFAULT_MAX_CONNECTIONS} sockets, each for at most the header plus body deadlines; {@link
 * #DEFAULT_THREADS} threads plus the sink's one; {@link #DEFAULT_MAX_HEADER_BYTES} of headers per
 * connection (about 4 MiB for all); request bodies up to {@link #FREE_BODY_BYTES} each without
 * asking (32 MiB for all) and beyond that out of a shared {@link #DEFAULT_MAX_BUFFERED_BYTES}; rate
 * trackers for {@link #DEFAULT_MAX_CLIENTS} addresses (a few hundred bytes each); and {@link
 * #DEFAULT_MAX_PENDING_HINTS} hints waiting for the sink. About 100 MiB at the very worst, a few
 * MiB in practice.
 *
 * <p>The JDK's {@code HttpServer}, used before, reads headers on its request threads and has no
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

  /**
   * Request line and headers, in bytes (431 past it). Webhook headers are a few hundred bytes; an
   * OIDC bearer token adds one to two KiB. Bounding the bytes bounds the number of headers too.
   */
  public static final int DEFAULT_MAX_HEADER_BYTES = 8 * 1024;

  /**
   * Body bytes of all requests being read at once, beyond the first {@link #FREE_BODY_BYTES} of
   * each. Without it, {@link #DEFAULT_MAX_CONNECTIONS} slow bodies of {@link
   * #DEFAULT_MAX_BODY_BYTES} each would hold 512 MiB.
   */
  public static final long DEFAULT_MAX_BUFFERED_BYTES = 32L << 20;

  /**
   * What each request may buffer without drawing on the shared budget: every real webhook body
   * fits, so an attacker filling the budget with slow large bodies never delays a legitimate one.
   */
  public static final int FREE_BODY_BYTES = 64 * 1024;

  /**
   * Client addresses whose rate is tracked at once (an idle one is forgotten within seconds); past
   * it, requests from addresses not yet tracked are answered 429.
   */
  public static final int DEFAULT_MAX_CLIENTS = 10_000;

  /**
   * Hints accepted and not yet handed to the sink. The sink is quick (the operator's coalesces), so
   * this fills only if it stalls; a hint that does not fit is counted as a sink failure and the
   * poller catches up.
   */
  public static final int DEFAULT_MAX_PENDING_HINTS = 4096;

  private static final System.Logger LOG = System.getLogger(ReceiverServer.class.getName());
  private static final Duration IGNORED_LOG_PERIOD = Duration.ofMinutes(5);
  private static final int IGNORED_LOG_KEYS = 1024;
  private static final Duration LIMIT_LOG_PERIOD = Duration.ofMinutes(1);
  private static final String UNROUTED = "unrouted";

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
  private final ClientRate clientRate;
  private final BodyBudget bodyBudget;

  /**
   * A flood would turn each refusal into a log line: the endpoint's own limits are logged once per
   * (reason, client address) per minute, and counted every time.
   */
  private final OncePerKey limitLogged =
      new OncePerKey(Clock.systemUTC(), LIMIT_LOG_PERIOD, IGNORED_LOG_KEYS);

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
    this.clientRate = b.clientRate;
    this.bodyBudget = new BodyBudget(b.maxBufferedBytes);

    QueuedThreadPool threads = new QueuedThreadPool(b.threads, Math.min(4, b.threads));
    threads.setName("freshet-receiver");
    threads.setDaemon(true);
    // Unpooled buffers: under a flood of oversized headers, Jetty 12.1.14's pooled buffers now and
    // then put the tail of one connection's request before another's 431 answer (4 of 416,000
    // flood requests; none of 582,000 unpooled). Webhooks carry signatures and tokens, and they
    // are few, so a fresh heap buffer per request (see below) costs nothing that matters.
    this.server = new Server(threads, null, new ByteBufferPool.NonPooling());
    server.setStopTimeout(0);

    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setRequestHeaderSize(b.maxHeaderBytes);
    // Unpooled direct buffers are slow to allocate and freed only by a later GC.
    http.setUseInputDirectByteBuffers(false);
    http.setUseOutputDirectByteBuffers(false);
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
    // Jetty's leaky bucket per client address, checked once the headers are parsed and before the
    // body is read; Bucket4j is not among our libraries and would do the same with more code.
    server.setHandler(
        new DoSHandler(
            new Routing(),
            DoSHandler.ID_FROM_REMOTE_ADDRESS,
            new DoSHandler.LeakingBucketTrackerFactory(
                // Its bucket refuses the request that fills it: one more lets `burst` through.
                clientRate.perSecond(), clientRate.burst() + 1, Duration.ofSeconds(10)),
            new RateLimited(),
            b.maxClients));
    server.setErrorHandler(new CountedErrors());
    // Bound now, so the port is known before start (and taken, as a bound JDK server's was).
    connector.open();

    this.sinkThread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(b.maxPendingHints),
            daemon("freshet-receiver-sink-"));
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
        exchange.answer(UNROUTED, new Verdict.Refused(404, "no receiver at " + path));
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
              exchange,
              () -> {
                deadline.cancel();
                exchange.answer(source, busy());
              },
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

  private Verdict.Refused busy() {
    return new Verdict.Refused(
        429,
        "the endpoint is reading " + bodyBudget.max + " bytes of bodies already; retry shortly",
        Optional.of(RefusalReason.BUSY));
  }

  private Verdict.Refused rateLimited(Request request) {
    return new Verdict.Refused(
        429,
        "more than "
            + clientRate.perSecond()
            + " requests a second (burst "
            + clientRate.burst()
            + ") from "
            + clientAddress(request),
        Optional.of(RefusalReason.RATE_LIMITED));
  }

  private static String clientAddress(Request request) {
    var remote = request.getConnectionMetaData().getRemoteSocketAddress();
    return remote instanceof InetSocketAddress inet
        ? inet.getAddress().getHostAddress()
        : String.valueOf(remote);
  }

  /** Answers a client past its rate, before its body is read. */
  private final class RateLimited implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      headerDeadline.met(request.getConnectionMetaData().getConnection());
      String path = request.getHttpURI().getPath();
      String source = route(path == null ? "/" : path).map(Receiver::source).orElse(UNROUTED);
      new Exchange(request, response, callback).answer(source, rateLimited(request));
      return true;
    }
  }

  /**
   * Jetty answers by itself what it cannot parse (headers too large: 431, not HTTP: 400) and what
   * fails inside it; those answers are counted and logged like the receivers' own.
   */
  private final class CountedErrors extends ErrorHandler {
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      RefusalReason why =
          status == 431 ? RefusalReason.HEADERS_TOO_LARGE : RefusalReason.MALFORMED_REQUEST;
      refusedByJetty(status, why, reason);
      fields.put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
      return super.badMessageError(status, reason, fields);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Object status = request.getAttribute(ERROR_STATUS);
      if (status instanceof Integer code && code >= 400 && code < 500) {
        refusedByJetty(
            code,
            code == 431 ? RefusalReason.HEADERS_TOO_LARGE : RefusalReason.MALFORMED_REQUEST,
            String.valueOf(request.getAttribute(ERROR_MESSAGE)));
      } else {
        listener.requestHandled(UNROUTED, Outcome.REFUSED, status instanceof Integer c ? c : 500);
      }
      return super.handle(request, response, callback);
    }
  }

  private void refusedByJetty(int status, RefusalReason why, String detail) {
    listener.requestHandled(UNROUTED, Outcome.REFUSED, status);
    listener.refused(UNROUTED, why);
    if (limitLogged.tryAcquire(why.label())) {
      LOG.log(
          System.Logger.Level.INFO,
          "{0}: refused {1}: {2} [{3}] (repeats are counted, not logged, for {4} s)",
          UNROUTED,
          status,
          detail,
          why.label(),
          LIMIT_LOG_PERIOD.toSeconds());
    }
  }

  /** Body bytes held beyond each request's free allowance, across all requests. */
  private static final class BodyBudget {
    private final long max;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long max) {
      this.max = max;
    }

    boolean tryTake(long bytes) {
      while (true) {
        long now = used.get();
        if (now + bytes > max) {
          return false;
        }
        if (used.compareAndSet(now, now + bytes)) {
          return true;
        }
      }
    }

    void giveBack(long bytes) {
      used.addAndGet(-bytes);
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
    private final Exchange exchange;
    private final Runnable overBudget;
    private final Consumer<Optional<byte[]>> done;
    private final Consumer<Throwable> failed;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();

    BodyReader(
        Request request,
        Exchange exchange,
        Runnable overBudget,
        Consumer<Optional<byte[]>> done,
        Consumer<Throwable> failed) {
      this.request = request;
      this.exchange = exchange;
      this.overBudget = overBudget;
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
        if (fits && !exchange.buffer(bytes.remaining())) {
          chunk.release();
          overBudget.run();
          return;
        }
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
    private long buffered;
    private long fromBudget;

    Exchange(Request request, Response response, Callback callback) {
      this.request = request;
      this.response = response;
      this.callback = callback;
    }

    /**
     * Accounts for {@code bytes} more of the body held in memory: free up to {@link
     * #FREE_BODY_BYTES}, beyond from the shared budget. False if the budget has no room (or the
     * exchange is over).
     */
    synchronized boolean buffer(long bytes) {
      if (answered.get()) {
        return false;
      }
      long beyondFree = Math.max(0, buffered + bytes - FREE_BODY_BYTES) - fromBudget;
      if (beyondFree > 0 && !bodyBudget.tryTake(beyondFree)) {
        return false;
      }
      fromBudget += Math.max(0, beyondFree);
      buffered += bytes;
      return true;
    }

    /** The body is no longer held for this exchange (its bytes are garbage once answered). */
    private synchronized void releaseBody() {
      bodyBudget.giveBack(fromBudget);
      fromBudget = 0;
    }

    /** Ends the exchange without an answer, unless one was sent already. */
    void abandon(Throwable failure) {
      if (answered.compareAndSet(false, true)) {
        releaseBody();
        callback.failed(failure);
      }
    }

    /** Sends the verdict unless one was sent already; true if this call sent it. */
    boolean answer(String source, Verdict verdict) {
      if (!answered.compareAndSet(false, true)) {
        return false;
      }
      releaseBody();
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
      Optional<RefusalReason> limit =
          verdict instanceof Verdict.Refused refused
              ? refused.why().filter(ReceiverServer::isLimit)
              : Optional.empty();
      if (limit.isPresent()) {
        if (limitLogged.tryAcquire(limit.get().label() + "\n" + clientAddress(request))) {
          LOG.log(
              System.Logger.Level.INFO,
              "{0}: refused {1}: {2} (repeats from this address are counted, not logged, for {3}"
                  + " s)",
              source,
              verdict.status(),
              text.trim(),
              LIMIT_LOG_PERIOD.toSeconds());
        }
        response
            .getHeaders()
            .put(
                HttpHeader.RETRY_AFTER,
                Long.toString(
                    limit.get() == RefusalReason.RATE_LIMITED
                        ? clientRate.retryAfter().toSeconds()
                        : 1));
      } else if (verdict.outcome() == Outcome.REFUSED) {
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

  private static boolean isLimit(RefusalReason why) {
    return why == RefusalReason.RATE_LIMITED || why == RefusalReason.BUSY;
  }

  private void handOver(List<ImageHint> hints) {
    if (hints.isEmpty()) {
      return;
    }
    try {
      sinkThread.execute(() -> toSink(hints));
    } catch (RejectedExecutionException e) {
      // The sink has stalled behind a full queue: these hints are lost, and said so; the poller's
      // next check finds what they announced.
      for (ImageHint hint : hints) {
        listener.sinkFailed(hint, e);
      }
      if (limitLogged.tryAcquire("sink-queue-full")) {
        LOG.log(
            System.Logger.Level.WARNING,
            "hints dropped: the sink has fallen "
                + "behind by its whole queue; the poller will find the pushes at its next check");
      }
    }
  }

  private void toSink(List<ImageHint> hints) {
    for (ImageHint hint : hints) {
      try {
        sink.accept(hint);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "the sink failed on " + hint.reference(), e);
        listener.sinkFailed(hint, e);
      }
    }
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
    private ClientRate clientRate = ClientRate.DEFAULT;
    private int maxClients = DEFAULT_MAX_CLIENTS;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private long maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES;
    private int maxPendingHints = DEFAULT_MAX_PENDING_HINTS;
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

    /** How many requests one client address may send before it is answered 429. */
    public Builder clientRate(ClientRate clientRate) {
      this.clientRate = Objects.requireNonNull(clientRate);
      return this;
    }

    /** Client addresses whose rate is tracked at once. */
    public Builder maxClients(int maxClients) {
      this.maxClients = atLeastOne(maxClients, "maxClients");
      return this;
    }

    /** Bytes of request line and headers at most (431 past them). */
    public Builder maxHeaderBytes(int maxHeaderBytes) {
      this.maxHeaderBytes = atLeastOne(maxHeaderBytes, "maxHeaderBytes");
      return this;
    }

    /** Body bytes all requests may hold at once beyond {@link #FREE_BODY_BYTES} each. */
    public Builder maxBufferedBytes(long maxBufferedBytes) {
      if (maxBufferedBytes < 0) {
        throw new IllegalArgumentException("maxBufferedBytes must not be negative");
      }
      this.maxBufferedBytes = maxBufferedBytes;
      return this;
    }

    /** Accepted hints waiting for the sink at most. */
    public Builder maxPendingHints(int maxPendingHints) {
      this.maxPendingHints = atLeastOne(maxPendingHints, "maxPendingHints");
      return this;
    }

    private static int atLeastOne(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
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
