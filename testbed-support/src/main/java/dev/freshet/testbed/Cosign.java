package dev.freshet.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real cosign binary (the version {@code testbed/versions.env} pins), signing images in the
 * testbed's anonymous registry with key pairs it generates, fully offline: no transparency log, no
 * signing config or trust root fetched through TUF. Each instance works in a temporary folder of
 * its own (keys, cosign's home and TUF cache), removed by {@link #close()}.
 *
 * <p>Offline signing in cosign 3.1.3 needs two deprecated flags, {@code --tlog-upload=false} and
 * {@code --use-signing-config=false}: the replacement, {@code --signing-config} with a file that
 * lists no services, still asks the public TUF repository for a trust root first (and goes on with
 * a warning when it cannot), and it refuses {@code --new-bundle-format=false}.
 */
public final class Cosign implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Where cosign puts the signature of an image. */
  public enum Format {
    /**
     * cosign 3's default: a Sigstore bundle in an OCI artifact whose subject is the image, found
     * through the OCI 1.1 referrers API or, on a registry without it (the testbed's), the referrers
     * tag schema: an index under the tag {@code sha256-<hex>}.
     */
    BUNDLE("--new-bundle-format=true"),
    /** The classic format: simple-signing payloads under the tag {@code sha256-<hex>.sig}. */
    LEGACY("--new-bundle-format=false");

    private final String flag;

    Format(String flag) {
      this.flag = flag;
    }
  }

  /**
   * A key pair from {@code cosign generate-key-pair} (ECDSA P-256, the private key encrypted with
   * an empty password).
   *
   * @param privateKey {@code cosign.key}
   * @param publicKey {@code cosign.pub}
   */
  public record KeyPair(Path privateKey, Path publicKey) {
    /** {@code cosign.pub} as cosign wrote it: the PEM a verification Secret holds. */
    public String publicPem() {
      try {
        return Files.readString(publicKey);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final Path binary;
  private final Path workDir;
  private int keys;

  /**
   * @param binary the cosign binary, e.g. {@link Testbed#cosign()}
   */
  public Cosign(Path binary) {
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException("cosign is not an executable file: " + binary);
    }
    this.binary = binary;
    try {
      this.workDir = Files.createTempDirectory("freshet-cosign-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The testbed's cosign; fails, saying how to build it, when it is not built. */
  public static Cosign of(Testbed testbed) {
    return new Cosign(testbed.cosign());
  }

  /** A new key pair in a folder of its own. */
  public KeyPair generateKeyPair() {
    Path dir = workDir.resolve("keys-" + ++keys);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(dir, List.of("generate-key-pair"));
    return new KeyPair(dir.resolve("cosign.key"), dir.resolve("cosign.pub"));
  }

  /** Signs {@code image} at its digest (an index's digest for a multi-arch image). */
  public void sign(KeyPair key, PushedImage image, Format format) {
    sign(key, image.registry() + "/" + image.repository() + "@" + image.digest(), format);
  }

  /**
   * Signs {@code reference}, {@code host:port/repository@sha256:…}, in a plain-HTTP registry that
   * needs no credentials.
   */
  public void sign(KeyPair key, String reference, Format format) {
    if (!reference.contains("@sha256:")) {
      throw new IllegalArgumentException("sign by digest, not by tag: " + reference);
    }
    run(
        workDir,
        List.of(
            "sign",
            "--key",
            key.privateKey().toString(),
            format.flag,
            "--tlog-upload=false",
            "--use-signing-config=false",
            "--allow-http-registry=true",
            "--yes",
            reference));
  }

  /** Runs cosign in {@code dir}; its output becomes the message when it fails or hangs. */
  private String run(Path dir, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(args);
    Path output = workDir.resolve("output-" + System.nanoTime() + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    Map<String, String> env = builder.environment();
    // The key's password, asked for by generate-key-pair and sign: empty, never a prompt.
    env.put("COSIGN_PASSWORD", "");
    // Nothing read from or written to the user's home: no docker credentials, no TUF cache.
    env.put("HOME", workDir.toString());
    env.put("DOCKER_CONFIG", workDir.resolve("docker").toString());
    env.put("TUF_ROOT", workDir.resolve("tuf").toString());
    try {
      Process process = builder.start();
      boolean exited = process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (!exited) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String printed = Files.readString(output, StandardCharsets.UTF_8).trim();
      if (!exited) {
        throw new IllegalStateException(
            "cosign did not finish in " + TIMEOUT.toSeconds() + " s: " + command + "\n" + printed);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            "cosign failed with exit code "
                + process.exitValue()
                + ": "
                + command
                + "\n"
                + printed);
      }
      return printed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command, e);
    }
  }

  /** Removes the keys and everything cosign wrote. */
  @Override
  public void close() {
    try (Stream<Path> all = Files.walk(workDir)) {
      for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
