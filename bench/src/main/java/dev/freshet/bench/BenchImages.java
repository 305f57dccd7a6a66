package dev.freshet.bench;

import dev.freshet.testbed.PushedImage;
import dev.freshet.testbed.Registry;

/** The bench's images, {@code PREFIX/img-i:dev}, and the digest each was last pushed with. */
final class BenchImages {
  private final Registry registry;
  private final String prefix;
  private final PushedImage[] current;

  BenchImages(Registry registry, String prefix, int count) {
    this.registry = registry;
    this.prefix = prefix;
    this.current = new PushedImage[count];
  }

  /** Pushes a new, distinct image under every image's tag, in parallel; returns seconds taken. */
  double pushAll(BenchTestbed testbed) throws Exception {
    long start = System.nanoTime();
    testbed.parallel(
        current.length, i -> current[i] = registry.pusher().push(prefix + "/img-" + i, "dev"));
    return (System.nanoTime() - start) / 1e9;
  }

  PushedImage image(int i) {
    return current[i];
  }

  String prefix() {
    return prefix;
  }

  int count() {
    return current.length;
  }
}
