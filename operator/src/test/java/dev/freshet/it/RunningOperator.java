package dev.freshet.it;

import dev.freshet.observe.EventListener;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.testbed.Testbed;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * A Freshet operator running in the test JVM and watching only the test's namespace, so tests of
 * other people on the same cluster are never touched.
 */
public final class RunningOperator implements AutoCloseable {

  private final Operator operator;
  private final SimpleMeterRegistry metrics;
  private final Poller poller;

  private RunningOperator(Operator operator, SimpleMeterRegistry metrics, Poller poller) {
    this.operator = operator;
    this.metrics = metrics;
    this.poller = poller;
  }

  /**
   * A poller that asks only the testbed's loopback registries: tests' Apps also name images of
   * public registries (postgres, registry.example.com), which must never be looked up from here.
   */
  public static Poller testbedPoller() {
    return new Poller(testbedResolution(), Clock.systemUTC(), 4);
  }

  /** The registry side of {@link #testbedPoller()}: real requests, to loopback registries only. */
  public static RegistryResolution testbedResolution() {
    return RegistryResolution.loopbackOnly(Clock.systemUTC());
  }

  public static RunningOperator start(KubernetesClient client, String namespace) {
    return start(client, namespace, OperatorSettings.DEFAULT_RESYNC, Optional.empty());
  }

  public static RunningOperator start(
      KubernetesClient client,
      String namespace,
      Duration resync,
      Optional<OperatorSettings.LeaderElection> leaderElection) {
    return start(client, namespace, resync, leaderElection, testbedPoller());
  }

  /** With a poller of the test's own, e.g. one that counts the checks it makes. */
  public static RunningOperator start(KubernetesClient client, String namespace, Poller poller) {
    return start(client, namespace, OperatorSettings.DEFAULT_RESYNC, Optional.empty(), poller);
  }

  /** With a poller of the test's own and a listener that hears the Events it records. */
  public static RunningOperator start(
      KubernetesClient client, String namespace, Poller poller, EventListener listener) {
    return start(
        client, namespace, OperatorSettings.DEFAULT_RESYNC, Optional.empty(), poller, listener);
  }

  private static RunningOperator start(
      KubernetesClient client,
      String namespace,
      Duration resync,
      Optional<OperatorSettings.LeaderElection> leaderElection,
      Poller poller) {
    return start(client, namespace, resync, leaderElection, poller, EventListener.NONE);
  }

  private static RunningOperator start(
      KubernetesClient client,
      String namespace,
      Duration resync,
      Optional<OperatorSettings.LeaderElection> leaderElection,
      Poller poller,
      EventListener listener) {
    // As an administrator: the client given may act as the operator's service account.
    AppCrd.install(Testbed.get().client());
    var metrics = new SimpleMeterRegistry();
    var settings = new OperatorSettings(Set.of(namespace), resync, leaderElection);
    var operator = FreshetOperator.create(client, settings, metrics, poller, listener);
    operator.start();
    return new RunningOperator(operator, metrics, poller);
  }

  /** How many reconciles of Apps this operator has finished, as its metrics report them. */
  public long reconciles() {
    return metrics.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith("operator.sdk.controllers.execution.reconcile"))
        .filter(Timer.class::isInstance)
        .mapToLong(m -> ((Timer) m).count())
        .sum();
  }

  public Operator operator() {
    return operator;
  }

  public void stop() {
    operator.stop();
    poller.close();
  }

  @Override
  public void close() {
    stop();
  }
}
