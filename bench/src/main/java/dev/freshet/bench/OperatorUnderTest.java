package dev.freshet.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * An operator the harness measures: how to start it and how it wants a tracked workload annotated.
 * Only Freshet is known to pin digests, take the bench's signed webhooks and serve Apps; a peer is
 * measured on what every image updater does, polling.
 *
 * @param name its name in tables and plots
 * @param command its command line, with {@code {kubeconfig}}, {@code {namespace}}, {@code
 *     {registry}}, {@code {receiver}} and {@code {http}} replaced (see {@link OperatorProcess})
 * @param annotations {@code key=value,…} for each tracked workload, {@code {interval}} replaced
 * @param isFreshet whether it is Freshet (webhooks, Apps, digest pins)
 * @param environment added to its process's environment
 */
record OperatorUnderTest(
    String name,
    String command,
    String annotations,
    boolean isFreshet,
    Map<String, String> environment) {

  /**
   * The memory the chart gives Freshet's container (its default {@code resources.limits.memory}).
   * The JVM sizes its heap from a container's limit; on the bench's bare machine the same figure is
   * given as {@code -XX:MaxRAM}, so Freshet runs here as installed and not with a quarter of the
   * machine's RAM for a heap. {@code FRESHET_BENCH_MEMORY_LIMIT} changes it.
   */
  static final String CHART_MEMORY_LIMIT = "512m";

  static OperatorUnderTest freshet(Path launcher) {
    String limit =
        Optional.ofNullable(System.getenv("FRESHET_BENCH_MEMORY_LIMIT")).orElse(CHART_MEMORY_LIMIT);
    return new OperatorUnderTest(
        "freshet",
        launcher
            + " operator --kubeconfig {kubeconfig} --namespace {namespace} --http-port {http}"
            + " --http-address 127.0.0.1 --receiver-addr {receiver} --webhook-namespace"
            + " {namespace} --registry-allow {registry}",
        "freshet.dev/policy=digest,freshet.dev/interval={interval}",
        true,
        Map.of(
            "FRESHET_JAVA_OPTS",
            ("-XX:MaxRAM=" + limit + " " + System.getenv().getOrDefault(EXTRA_JAVA_OPTS, ""))
                .strip()));
  }

  /**
   * More JVM options for Freshet, after the memory limit: a profile of the run, for one, with
   * {@code -XX:StartFlightRecording=filename=freshet.jfr,settings=profile}.
   */
  static final String EXTRA_JAVA_OPTS = "FRESHET_BENCH_JAVA_OPTS";

  /** Another operator, run as given. */
  static OperatorUnderTest peer(String name, String command, String annotations) {
    return new OperatorUnderTest(name, command, annotations, false, Map.of());
  }

  /** Starts it watching {@code namespace}; {@code receiver} is where it should take webhooks. */
  OperatorProcess start(BenchTestbed testbed, String namespace, int receiverPort, Path log)
      throws IOException {
    return OperatorProcess.start(
        command,
        Map.of(
            "kubeconfig", testbed.kubeconfig.toString(),
            "namespace", namespace,
            "registry", testbed.registry.host(),
            "receiver", "127.0.0.1:" + receiverPort,
            "http", Integer.toString(BenchTestbed.freePort())),
        environment,
        log);
  }
}
