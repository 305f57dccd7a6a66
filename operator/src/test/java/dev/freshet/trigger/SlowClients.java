package dev.freshet.trigger;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A slow-loris attack on the webhook endpoint: connections that send their request a byte a second,
 * some stuck in the headers, some in the body, each reopened as soon as the server closes it, so
 * the number held open stays the same. Records how long each lived and what the server answered.
 */
final class SlowClients implements AutoCloseable {
  private static final String HEAD = "POST /hooks/generic HTTP/1.1\r\nHost: freshet\r\n";
  private static final String FULL_HEAD =
      HEAD + "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{";

  private final InetSocketAddress target;
  private final List<InetAddress> from;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final List<Connection> connections = new ArrayList<>();
  private final AtomicInteger ticks = new AtomicInteger();
  private final List<Duration> headerTricklerLives = new CopyOnWriteArrayList<>();
  private final List<Duration> bodyTricklerLives = new CopyOnWriteArrayList<>();
  private final List<String> bodyTricklerAnswers = new CopyOnWriteArrayList<>();

  private SlowClients(InetSocketAddress target, List<InetAddress> from) {
    this.target = target;
    this.from = from;
  }

  /** Opens the connections, then sends each one more byte every second. */
  static SlowClients open(InetSocketAddress target, int inHeaders, int inBody) throws IOException {
    return open(target, inHeaders, inBody, List.of());
  }

  /**
   * The same, each connection from one of the addresses {@code from} in turn (any loopback address
   * of 127/8), so that the attacker is not the legitimate sender's address; none: the default.
   */
  static SlowClients open(
      InetSocketAddress target, int inHeaders, int inBody, List<InetAddress> from)
      throws IOException {
    SlowClients slow = new SlowClients(target, List.copyOf(from));
    for (int i = 0; i < inHeaders + inBody; i++) {
      Connection c =
          slow.new Connection(i >= inHeaders, from.isEmpty() ? null : from.get(i % from.size()));
      c.open();
      slow.connections.add(c);
    }
    slow.ticker.scheduleAtFixedRate(slow::tick, 1, 1, TimeUnit.SECONDS);
    return slow;
  }

  /** How many times every connection has sent one more byte. */
  int ticks() {
    return ticks.get();
  }

  /** How long the server let each connection stuck in its headers live, from open to close. */
  List<Duration> headerTricklerLives() {
    return List.copyOf(headerTricklerLives);
  }

  /** The same for connections stuck in their body. */
  List<Duration> bodyTricklerLives() {
    return List.copyOf(bodyTricklerLives);
  }

  /** The status line, if any, the server sent a connection stuck in its body before closing it. */
  List<String> bodyTricklerAnswers() {
    return List.copyOf(bodyTricklerAnswers);
  }

  private void tick() {
    for (Connection c : connections) {
      c.tick();
    }
    ticks.incrementAndGet();
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    try {
      ticker.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : connections) {
      c.closeQuietly();
    }
  }

  private final class Connection {
    private final boolean inBody;
    private final InetAddress local;
    private final ByteBuffer readBuffer = ByteBuffer.allocate(4096);
    private final StringBuilder answer = new StringBuilder();
    private SocketChannel channel;
    private Instant openedAt;

    Connection(boolean inBody, InetAddress local) {
      this.inBody = inBody;
      this.local = local;
    }

    void open() throws IOException {
      channel = SocketChannel.open();
      if (local != null) {
        channel.bind(new InetSocketAddress(local, 0));
      }
      channel.connect(target);
      channel.configureBlocking(false);
      openedAt = Instant.now();
      answer.setLength(0);
      write(inBody ? FULL_HEAD : HEAD);
    }

    /** Reads what the server sent; if it closed the connection, records that and reopens. */
    void tick() {
      try {
        int read;
        while ((read = channel.read(readBuffer.clear())) > 0) {
          answer.append(new String(readBuffer.array(), 0, read, StandardCharsets.ISO_8859_1));
        }
        if (read < 0) {
          closedByServer();
          return;
        }
        write(inBody ? "x" : "X");
      } catch (IOException reset) {
        closedByServer();
      }
    }

    private void closedByServer() {
      Duration lived = Duration.between(openedAt, Instant.now());
      if (inBody) {
        bodyTricklerLives.add(lived);
        int endOfLine = answer.indexOf("\r\n");
        bodyTricklerAnswers.add(endOfLine < 0 ? answer.toString() : answer.substring(0, endOfLine));
      } else {
        headerTricklerLives.add(lived);
      }
      closeQuietly();
      try {
        open();
      } catch (IOException e) {
        throw new IllegalStateException("could not reopen a slow connection", e);
      }
    }

    private void write(String text) throws IOException {
      ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }

    void closeQuietly() {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Closing a socket the server already closed.
      }
    }
  }
}
