package dev.freshet.bench;

import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;

/** The bench's images, {@code PREFIX/img-i:dev}, and the digest each was last pushed with. */
final class BenchImages {
  private final Registry registry;
  private final String prefix;
  private final ExecutorService pool;
  private final PushedImage[] current;

  BenchImages(Registry registry, String prefix, int count, ExecutorService pool) {
    this.registry = registry;
    this.prefix = prefix;
    this.pool = pool;
    this.current = new PushedImage[count];
  }

  /** Pushes a new, distinct image under every image's tag. */
  void pushAll() throws Exception {
    WebhookLatencyBench.all(
        pool,
        current.length,
        i -> current[i] = registry.pusher().push(prefix + "/img-" + i, "dev"));
  }

  PushedImage image(int i) {
    return current[i];
  }

  List<String> digests() {
    return Arrays.stream(current).map(PushedImage::digest).toList();
  }

  int count() {
    return current.length;
  }
}
