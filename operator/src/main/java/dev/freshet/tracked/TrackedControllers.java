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
import java.util.Locale;
import java.util.Set;

/**
 * Registers one controller per workload kind Freshet follows (Deployment, StatefulSet, DaemonSet,
 * CronJob). They watch every workload of their kind in the watched namespaces, because annotations,
 * unlike labels, cannot be selected on the server; the changes of a workload that never mentions
 * Freshet are dropped before they reach a reconciler ({@link TrackedEvents}).
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
    for (WorkloadKind<?> kind : WorkloadKind.ALL) {
      register(operator, TrackedReconcilers.of(kind, parts), namespaces);
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
          // Most workloads never mention Freshet: their changes wake no reconciler.
          config.withOnAddFilter(TrackedEvents.onAdd());
          config.withOnUpdateFilter(TrackedEvents.onUpdate());
          // Thousands of workloads: the cache keeps only what the reconciler reads.
          config.withItemStore(CachedTemplates.store(reconciler.kind()));
          config.withInformerListLimit(CachedObjects.LIST_PAGE);
          if (!namespaces.isEmpty()) {
            config.settingNamespaces(namespaces);
          }
        });
  }
}
