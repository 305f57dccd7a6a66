package dev.freshet.operator;

import dev.freshet.app.AppReconciler;
import dev.freshet.notify.NotificationsSecret;
import dev.freshet.notify.Notifier;
import dev.freshet.observe.EventListener;
import dev.freshet.observe.EventRecorder;
import dev.freshet.observe.ImageCheckMetrics;
import dev.freshet.observe.RegistryMetrics;
import dev.freshet.observe.RolloutMetrics;
import dev.freshet.poll.Poller;
import dev.freshet.poll.RegistryResolution;
import dev.freshet.poll.TagChooser;
import dev.freshet.registry.resolve.Platform;
import dev.freshet.registry.resolve.Resolver;
import dev.freshet.trigger.HintDispatcher;
import dev.freshet.trigger.WebhookEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * The one place where an operator process is assembled from its {@link OperatorSettings}: the
 * clock, the registry client, the poller and its workers, the JOSDK operator with its controllers,
 * the webhook receivers and the notifications. The command line only fills the settings; tests
 * build the same parts here.
 */
public final class Wiring implements AutoCloseable {
  private final OperatorSettings settings;
  private final MeterRegistry meters;
  private final Clock clock;
  private final Poller poller;
  private final Resolver registry;
  private final Notifier notifier;

  private Wiring(OperatorSettings settings, MeterRegistry meters, Clock clock) {
    this.settings = settings;
    this.meters = meters;
    this.clock = clock;
    var registries = settings.registries();
    this.registry = registryClient(registries);
    var resolution =
        new RegistryResolution(
            registry,
            new TagChooser(Platform.parse(registries.platform()), clock),
            clock,
            registries::allows,
            settings.choosingBudget());
    this.poller = new Poller(resolution, clock, settings.pollWorkers());
    var checks = new ImageCheckMetrics(meters);
    // The poller reports to metrics without knowing them (poll does not depend on observe).
    poller.onChecks(
        new Poller.CheckListener() {
          @Override
          public void checked(String image, Instant at) {
            checks.checked(image, at);
          }

          @Override
          public void forgotten(String image) {
            checks.forgotten(image);
          }
        });
    this.notifier = new Notifier(meters, clock);
  }

  public static Wiring of(OperatorSettings settings, MeterRegistry meters) {
    return new Wiring(settings, meters, Clock.systemUTC());
  }

  private Resolver registryClient(OperatorSettings.Registries registries) {
    var builder =
        Resolver.builder().confirmDeclaredDigests(true).listener(new RegistryMetrics(meters));
    registries.insecure().forEach(builder::insecureRegistry);
    registries.extraCertificates().ifPresent(builder::trustedCertificates);
    return builder.build();
  }

  /** The operator, not yet started, on this wiring's poller. */
  public Operator operator(KubernetesClient client) {
    return FreshetOperator.create(
        client,
        settings,
        meters,
        poller,
        registry,
        clock,
        new RolloutMetrics(meters, clock)
            .andThen(settings.notifications().isPresent() ? notifier : EventListener.NONE));
  }

  /**
   * Follows the notifications Secret when the settings turn notifications on; nothing to close
   * otherwise.
   */
  public AutoCloseable notifications(KubernetesClient client) {
    if (settings.notifications().isEmpty()) {
      return () -> {};
    }
    return NotificationsSecret.start(
        client,
        settings.notifications().get().secretNamespace(),
        notifier,
        new EventRecorder(client, AppReconciler.FIELD_MANAGER, clock),
        meters);
  }

  /** The webhook receivers, started, when the settings ask for them; nothing to close otherwise. */
  public AutoCloseable receivers(KubernetesClient client) throws IOException {
    if (settings.receivers().isEmpty()) {
      return () -> {};
    }
    var receivers = settings.receivers().get();
    return WebhookEndpoint.start(
        client,
        receivers.secretNamespace(),
        receivers.secretName(),
        receivers.address(),
        new HintDispatcher(poller, meters),
        meters,
        clock);
  }

  public Poller poller() {
    return poller;
  }

  @Override
  public void close() {
    notifier.close();
    poller.close();
  }
}
