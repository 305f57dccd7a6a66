package dev.freshet.tracked;

import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.testbed.Testbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.time.Clock;
import java.util.Set;

/**
 * The tracked-workload controllers, running in the test JVM and watching one test namespace only.
 */
final class TrackedOperator implements AutoCloseable {
  final Poller poller;
  private final Operator operator;
  private final KubernetesClient client;

  TrackedOperator(Testbed testbed, String namespace) {
    this(testbed.clientIn(namespace), namespace);
  }

  /** On {@code client} (e.g. one that counts its writes), which {@link #close} closes. */
  TrackedOperator(KubernetesClient client, String namespace) {
    this(client, namespace, Metrics.NOOP);
  }

  /** As above, telling {@code metrics} of every reconcile (JOSDK's own hook). */
  TrackedOperator(KubernetesClient client, String namespace, Metrics metrics) {
    Clock clock = Clock.systemUTC();
    this.client = client;
    poller = new Poller(RegistryResolution.loopbackOnly(clock), clock, 4);
    // Tracked workloads reach the reconciler uncopied, as in the operator process.
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withMetrics(metrics)
                    .withResourceCloner(
                        new UncopiedWorkloads(client.getKubernetesSerialization())));
    TrackedControllers.register(
        operator,
        client,
        poller,
        Set.of(namespace),
        new EventRecorder(client, "freshet", clock),
        clock);
    operator.start();
  }

  @Override
  public void close() {
    operator.stop();
    poller.close();
    client.close();
  }
}
