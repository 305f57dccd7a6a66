package dev.freshet.operator;

import dev.freshet.app.AppReconciler;
import dev.freshet.app.AppUpdates;
import dev.freshet.observe.EventRecorder;
import dev.freshet.poll.Poller;
import dev.freshet.tracked.TrackedControllers;
import dev.freshet.update.Custody;
import dev.freshet.update.PullSecretCredentials;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

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
    return create(client, settings, meterRegistry, poller, Clock.systemUTC());
  }

  static Operator create(
      KubernetesClient client,
      OperatorSettings settings,
      MeterRegistry meterRegistry,
      Poller poller,
      Clock clock) {
    var operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  // Per-resource tags would grow with the number of Apps.
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(meterRegistry));
              settings
                  .leaderElection()
                  .ifPresent(le -> o.withLeaderElectionConfiguration(leaderElection(client, le)));
            });
    var events = new EventRecorder(client, AppReconciler.FIELD_MANAGER, clock);
    var reconciler =
        new AppReconciler(
            events, new AppUpdates(poller, new PullSecretCredentials(client, clock)), clock);
    operator.register(
        reconciler,
        c -> {
          if (!settings.namespaces().isEmpty()) {
            c.settingNamespaces(settings.namespaces());
          }
          c.withReconciliationMaxInterval(settings.resyncInterval());
          // A spec change, or a person's hold or resume, which are annotations and leave the
          // generation alone; status writes stay filtered out.
          c.withGenerationAware(false);
          c.withOnUpdateFilter(
              (next, previous) ->
                  !java.util.Objects.equals(
                          next.getMetadata().getGeneration(),
                          previous.getMetadata().getGeneration())
                      || Custody.changed(
                          previous.getMetadata().getAnnotations(),
                          next.getMetadata().getAnnotations()));
          // An App the informer can list but Freshet cannot read is reported, never reconciled.
          c.withGenericFilter(new UnreadableApps(events));
        });
    if (settings.trackWorkloads()) {
      TrackedControllers.register(operator, client, poller, settings.namespaces(), events, clock);
    }
    return operator;
  }

  private static LeaderElectionConfiguration leaderElection(
      KubernetesClient client, OperatorSettings.LeaderElection le) {
    // In a cluster the pod knows its name (POD_NAME, from the downward API) and marks itself
    // leader.
    String pod = System.getenv("POD_NAME");
    return new LeaderElectionConfiguration(
        le.leaseName(),
        le.leaseNamespace(),
        le.leaseDuration(),
        le.renewDeadline(),
        le.retryPeriod(),
        le.identity(),
        pod == null ? null : new LeaderLabel(client, le.leaseNamespace(), pod).callbacks(),
        le.exitOnStopLeading());
  }
}
