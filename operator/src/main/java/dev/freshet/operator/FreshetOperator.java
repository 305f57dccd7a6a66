package dev.freshet.operator;

import dev.freshet.app.AppReconciler;
import dev.freshet.app.AppUpdates;
import dev.freshet.app.api.App;
import dev.freshet.observe.EventListener;
import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.SignatureMetrics;
import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.Poller;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.tracked.TrackedControllers;
import dev.freshet.tracked.UncopiedWorkloads;
import dev.freshet.update.CachedObjects;
import dev.freshet.update.PullSecretCredentials;
import dev.freshet.update.SignatureChecks;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** Assembles the JOSDK Operator that runs Freshet's controllers. */
public final class FreshetOperator {

  private FreshetOperator() {}

  /**
   * An operator, not yet started, running the App controller and the tracked-workload controllers
   * on one poller; the caller owns the client and the poller and closes them.
   */
  public static Operator create(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry meterRegistry,
      Poller poller) {
    return create(client, settings, meterRegistry, poller, EventListener.NONE);
  }

  /** The same, telling {@code listener} what its Events record (notifications). */
  public static Operator create(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry meterRegistry,
      Poller poller,
      EventListener listener) {
    // Signatures are looked up on loopback registries as tests and the playground use them; the
    // operator process proper passes the registry client its poller uses (Wiring).
    return create(
        client,
        settings,
        meterRegistry,
        poller,
        Resolver.builder().build(),
        Clock.systemUTC(),
        listener);
  }

  static Operator create(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry meterRegistry,
      Poller poller,
      Resolver registry,
      Clock clock,
      EventListener listener) {
    var operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withResourceCloner(new UncopiedWorkloads(client.getKubernetesSerialization()))
                  // Per-resource tags would grow with the number of Apps.
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meterRegistry));
              settings
                  .leaderElection()
                  .ifPresent(
                      le ->
                          o.withLeaderElectionConfiguration(
                              leaderElection(client, le, leading(meterRegistry, 0))));
              if (settings.leaderElection().isEmpty()) {
                // Without an election this process is the one that reconciles.
                leading(meterRegistry, 1);
              }
            });
    var events =
        new EventRecorder(client, AppReconciler.FIELD_MANAGER, clock, listener)
            .countingDropsIn(meterRegistry);
    var credentials = new PullSecretCredentials(client, clock);
    var signatures =
        new SignatureChecks(client, registry, clock, new SignatureMetrics(meterRegistry));
    var states = new WorkloadStates(meterRegistry);
    var reconciler =
        new AppReconciler(events, new AppUpdates(poller, credentials, signatures), clock, states);
    operator.register(
        reconciler,
        c -> {
          if (!settings.namespaces().isEmpty()) {
            c.settingNamespaces(settings.namespaces());
          }
          c.withReconciliationMaxInterval(settings.resyncInterval());
          c.withItemStore(CachedObjects.store());
          c.withInformerListLimit(CachedObjects.LIST_PAGE);
          // A spec change, or an annotation a person sets (hold, resume, approve, a window
          // override), which leave the generation alone; Freshet's own status writes stay out.
          c.withGenerationAware(false);
          c.withOnUpdateFilter(
              (next, previous) ->
                  !java.util.Objects.equals(
                          next.getMetadata().getGeneration(),
                          previous.getMetadata().getGeneration())
                      || !personsAnnotations(previous).equals(personsAnnotations(next)));
          // An App the informer can list but Freshet cannot read is reported, never reconciled.
          c.withGenericFilter(new UnreadableApps(events));
        });
    if (settings.trackWorkloads()) {
      TrackedControllers.register(
          operator, client, poller, signatures, settings.namespaces(), events, clock, states);
    }
    return operator;
  }

  /**
   * {@code freshet_leader}: 1 while this process reconciles, 0 while it stands by, so an alert can
   * tell that no replica leads.
   */
  private static AtomicInteger leading(MeterRegistry meters, int initially) {
    AtomicInteger gauge = new AtomicInteger(initially);
    Gauge.builder("freshet_leader", gauge, AtomicInteger::get)
        .description("1 while this replica holds the lease and reconciles")
        .register(meters);
    return gauge;
  }

  private static LeaderElectionConfiguration leaderElection(
      KubernetesClient client, OperatorSettings.LeaderElection le, AtomicInteger leading) {
    // In a cluster the pod knows its name (POD_NAME, from the downward API) and marks itself
    // leader.
    String pod = System.getenv("POD_NAME");
    LeaderCallbacks label =
        pod == null
            ? new LeaderCallbacks(() -> {}, () -> {}, leader -> {})
            : new LeaderLabel(client, le.leaseNamespace(), pod).callbacks();
    LeaderCallbacks callbacks =
        new LeaderCallbacks(
            () -> {
              leading.set(1);
              label.onStartLeading();
            },
            () -> {
              leading.set(0);
              label.onStopLeading();
            },
            label::onNewLeader);
    return new LeaderElectionConfiguration(
        le.leaseName(),
        le.leaseNamespace(),
        le.leaseDuration(),
        le.renewDeadline(),
        le.retryPeriod(),
        le.identity(),
        callbacks,
        le.exitOnStopLeading());
  }

  /**
   * The annotations by which a person steers updates ({@code freshet.dev/hold}, {@code resume},
   * {@code approve}, {@code window-override}…): a change of any of them is worth a reconcile.
   */
  private static java.util.Map<String, String> personsAnnotations(App app) {
    var steering = new java.util.TreeMap<String, String>();
    if (app.getMetadata().getAnnotations() != null) {
      app.getMetadata()
          .getAnnotations()
          .forEach(
              (key, value) -> {
                if (key.startsWith("freshet.dev/")) {
                  steering.put(key, value);
                }
              });
    }
    return steering;
  }
}
