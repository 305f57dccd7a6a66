package dev.freshet.receive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the documentation samples under src/test/resources/docs. */
public final class Samples {

  private Samples() {}

  public static byte[] doc(String name) {
    try (InputStream in = Samples.class.getResourceAsStream("/docs/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no sample " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
