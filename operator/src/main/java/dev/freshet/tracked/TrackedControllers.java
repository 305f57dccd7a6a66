package dev.freshet.tracked;

import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.WorkloadStates;
import dev.freshet.poll.Poller;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.update.CachedObjects;
import dev.freshet.update.ImageFieldApplier;
import dev.freshet.update.PullSecretCredentials;
import dev.freshet.update.SignatureChecks;
import dev.freshet.update.StuckPods;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Registers one controller per workload kind Freshet follows (Deployment, StatefulSet, DaemonSet,
 * CronJob). They watch every workload of their kind in the watched namespaces, because annotations,
 * unlike labels, cannot be selected on the server; a workload without {@code freshet.dev/policy}
 * costs one cheap reconcile per change.
 */
public final class TrackedControllers {
  private TrackedControllers() {}

  /** With signature lookups through a registry client of their own (tests, benchmarks). */
  public static void register(
      Operator operator,
      KubernetesClient client,
      Poller poller,
      Set<String> namespaces,
      EventRecorder events,
      Clock clock) {
    register(
        operator,
        client,
        poller,
        new SignatureChecks(client, Resolver.builder().build(), clock, result -> {}),
        namespaces,
        events,
        clock,
        WorkloadStates.NONE);
  }

  public static void register(
      Operator operator,
      KubernetesClient client,
      Poller poller,
      SignatureChecks signatures,
      Set<String> namespaces,
      EventRecorder events,
      Clock clock,
      WorkloadStates states) {
    var parts =
        new TrackedReconcilers.Parts(
            poller,
            new PullSecretCredentials(client, clock),
            signatures,
            new TrackedStatusWriter(client, new ImageFieldApplier(client)),
            events,
            new StuckPods(client),
            clock,
            states);
    for (TrackedWorkloadReconciler<? extends HasMetadata> reconciler :
        List.of(
            new TrackedReconcilers.Deployments(parts),
            new TrackedReconcilers.StatefulSets(parts),
            new TrackedReconcilers.DaemonSets(parts),
            new TrackedReconcilers.CronJobs(parts))) {
      register(operator, reconciler, namespaces);
    }
  }

  private static <W extends HasMetadata> void register(
      Operator operator, TrackedWorkloadReconciler<W> reconciler, Set<String> namespaces) {
    operator.register(
        reconciler,
        config -> {
          config.withName("tracked-" + reconciler.kindName().toLowerCase(Locale.ROOT));
          // Annotation edits (adding or removing freshet.dev/policy) do not bump the generation.
          config.withGenerationAware(false);
          // Thousands of workloads: the cache keeps only what the reconciler reads.
          config.withItemStore(CachedTemplates.store(reconciler.kind()));
          config.withInformerListLimit(CachedObjects.LIST_PAGE);
          if (!namespaces.isEmpty()) {
            config.settingNamespaces(namespaces);
          }
        });
  }
}
