package dev.freshet.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running testbed: a real control plane (etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler, kwok nodes) and two registries on loopback, as {@code testbed/up.sh} leaves them.
 * One instance per JVM; if no healthy testbed is up, the first use starts one with that script.
 */
public final class Testbed {
  private static final Logger log = LoggerFactory.getLogger(Testbed.class);
  private static Testbed instance;

  private final Path root;
  private final Path dir;
  private final Config config;
  private final KubernetesClient client;

  private Testbed(Path root, Path dir) {
    this.root = root;
    this.dir = dir;
    this.config = Config.fromKubeconfig(read("kubeconfig"));
    this.client = new KubernetesClientBuilder().withConfig(config).build();
  }

  /**
   * The testbed of this checkout ({@code $FRESHET_TESTBED_DIR}, or {@code .testbed/}), started if
   * needed.
   */
  public static synchronized Testbed get() {
    if (instance == null) {
      Path root = repositoryRoot();
      Path dir =
          Optional.ofNullable(System.getenv("FRESHET_TESTBED_DIR"))
              .map(Path::of)
              .orElse(root.resolve(".testbed"));
      ensureUp(root, dir);
      instance = new Testbed(root, dir);
    }
    return instance;
  }

  /**
   * A testbed of its own in {@code dir}, apart from the shared one, started now: for a test that
   * breaks the control plane (restarts etcd, say), so no other test meets the breakage. The caller
   * ends it with {@link #down()}.
   */
  public static Testbed startSeparate(Path dir) {
    Path root = repositoryRoot();
    Path absolute = dir.toAbsolutePath();
    ensureUp(root, absolute);
    return new Testbed(root, absolute);
  }

  /** Stops every process of this testbed and removes its data ({@code testbed/down.sh}). */
  public void down() {
    client.close();
    int exit = run(root, dir, "testbed/down.sh", "down.log", List.of(), 120);
    if (exit != 0) {
      throw new IllegalStateException(
          "testbed/down.sh failed with exit code " + exit + "; see " + dir.resolve("down.log"));
    }
  }

  /**
   * SIGKILLs parts of the control plane and starts them again ({@code testbed/restart.sh}), then
   * waits until the apiserver answers and every component runs: one that ended by itself during the
   * outage (the controller-manager and the scheduler do, when they cannot renew their Lease) is
   * started again too.
   *
   * @param arguments options ({@code --compact-etcd}, {@code --down SECONDS}) and components
   *     ({@code etcd}, {@code kube-apiserver}, …)
   */
  public void restart(String... arguments) {
    int exit = run(root, dir, "testbed/restart.sh", "restart.log", List.of(arguments), 180);
    if (exit != 0) {
      throw new IllegalStateException(
          "testbed/restart.sh failed with exit code "
              + exit
              + "; see "
              + dir.resolve("restart.log"));
    }
  }

  /** The kubeconfig of the testbed's cluster-admin. */
  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  /** A client for the whole cluster, shared by all tests; do not close it. */
  public KubernetesClient client() {
    return client;
  }

  /** The client configuration, for building clients of one's own (e.g. an operator under test). */
  public Config config() {
    return new ConfigBuilder(config).build();
  }

  /** A new client whose default namespace is {@code namespace}; the caller closes it. */
  public KubernetesClient clientIn(String namespace) {
    return new KubernetesClientBuilder()
        .withConfig(new ConfigBuilder(config).withNamespace(namespace).build())
        .build();
  }

  /** The anonymous registry. */
  public Registry registry() {
    return new Registry(read("registry"), Optional.empty(), Optional.empty());
  }

  /** The registry that demands htpasswd basic auth. */
  public Registry authRegistry() {
    return new Registry(
        read("registry-auth"),
        Optional.of(read("registry-auth-user")),
        Optional.of(read("registry-auth-password")));
  }

  /**
   * Where both registries send their push notifications (nothing listens until a test binds it).
   */
  public String registryNotifyUrl() {
    return read("registry-notify-url");
  }

  /** The bearer token the registries put in the Authorization header of their notifications. */
  public String registryNotifyToken() {
    return read("registry-notify-token");
  }

  /** A kubectl of the cluster's version. */
  public Path kubectl() {
    return dir.resolve("bin/kubectl");
  }

  /**
   * The cosign binary of the version {@code testbed/versions.env} pins, as {@code testbed/cosign.sh
   * --locate} finds it in its cache.
   *
   * @throws IllegalStateException when cosign is not built, saying how to build it: a test that
   *     signs with cosign fails without it, it is never skipped
   */
  public Path cosign() {
    try {
      Process process =
          new ProcessBuilder("bash", root.resolve("testbed/cosign.sh").toString(), "--locate")
              .directory(root.toFile())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes()).trim();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("testbed/cosign.sh --locate did not answer in 30 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException("no cosign for the signature tests: " + output);
      }
      String[] lines = output.split("\n");
      return Path.of(lines[lines.length - 1].trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The folder holding every testbed process's log, for a failing test to point at. */
  public Path logs() {
    return dir.resolve("run/logs");
  }

  /** The checkout's root folder. */
  public Path checkoutRoot() {
    return root;
  }

  private String read(String name) {
    try {
      return Files.readString(dir.resolve(name)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("testbed file missing: " + dir.resolve(name), e);
    }
  }

  private static void ensureUp(Path root, Path dir) {
    if (run(root, dir, "testbed/status.sh", "status.log", List.of(), 30) == 0) {
      return;
    }
    log.info("no testbed running in {}; starting one with testbed/up.sh", dir);
    int exit = run(root, dir, "testbed/up.sh", "up.log", List.of(), 3600);
    if (exit != 0) {
      throw new IllegalStateException(
          "testbed/up.sh failed with exit code " + exit + "; see " + dir.resolve("up.log"));
    }
  }

  private static int run(
      Path root,
      Path dir,
      String script,
      String logName,
      List<String> arguments,
      long timeoutSeconds) {
    try {
      Files.createDirectories(dir);
      var command = new ArrayList<String>(List.of("bash", root.resolve(script).toString()));
      command.addAll(arguments);
      var builder =
          new ProcessBuilder(command)
              .directory(root.toFile())
              .redirectErrorStream(true)
              // Restarts are a series worth keeping; the other scripts' last run is enough.
              .redirectOutput(
                  logName.equals("restart.log")
                      ? ProcessBuilder.Redirect.appendTo(dir.resolve(logName).toFile())
                      : ProcessBuilder.Redirect.to(dir.resolve(logName).toFile()));
      builder.environment().put("FRESHET_TESTBED_DIR", dir.toString());
      Process process = builder.start();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("testbed/up.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no testbed/up.sh above " + here + ": run tests from the checkout");
  }
}
