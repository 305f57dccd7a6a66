package dev.freshet.notify;

import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link Notifier} configured from the Secret {@value Notifier#SECRET_NAME}, read at start
 * and whenever it changes, as the webhook receivers follow theirs: no restart needed. What the
 * Secret gets wrong is logged, shown in the gauge {@code freshet_notifications_config_problems} and
 * recorded as a {@code NotificationsInvalid} Event on the Secret; the rest of it still works, and
 * the operator never stops for it. Without the Secret nothing is sent.
 */
public final class NotificationsSecret implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NotificationsSecret.class);

  private final Notifier notifier;
  private final EventRecorder events;
  private final AtomicInteger problems = new AtomicInteger();
  private final SharedIndexInformer<Secret> watch;

  private NotificationsSecret(
      KubernetesClient client,
      String namespace,
      Notifier notifier,
      EventRecorder events,
      MeterRegistry meters) {
    this.notifier = notifier;
    this.events = events;
    Gauge.builder("freshet_notifications_config_problems", problems, AtomicInteger::get)
        .register(meters);
    this.watch =
        client
            .secrets()
            .inNamespace(namespace)
            .withField("metadata.name", Notifier.SECRET_NAME)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Secret secret) {
                    configure(secret);
                  }

                  @Override
                  public void onUpdate(Secret before, Secret after) {
                    configure(after);
                  }

                  @Override
                  public void onDelete(Secret secret, boolean unknownState) {
                    configure(null);
                  }
                });
  }

  /** Starts following the Secret in {@code namespace}. */
  public static NotificationsSecret start(
      KubernetesClient client,
      String namespace,
      Notifier notifier,
      EventRecorder events,
      MeterRegistry meters) {
    return new NotificationsSecret(client, namespace, notifier, events, meters);
  }

  private void configure(Secret secret) {
    NotificationSettings settings =
        secret == null ? NotificationSettings.NONE : NotificationSettings.parse(decoded(secret));
    problems.set(settings.problems().size());
    if (!settings.problems().isEmpty()) {
      String message =
          "Secret " + Notifier.SECRET_NAME + ": " + String.join("; ", settings.problems());
      log.warn(message);
      events.record(secret, EventReason.NotificationsInvalid, message);
    }
    notifier.configure(settings);
  }

  /** Data and stringData alike, values trimmed (a file written with a final newline). */
  static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new LinkedHashMap<>();
    if (secret.getData() != null) {
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(
                      k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8).trim()));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> data.put(k, v.trim()));
    }
    return data;
  }

  @Override
  public void close() {
    watch.close();
  }
}
