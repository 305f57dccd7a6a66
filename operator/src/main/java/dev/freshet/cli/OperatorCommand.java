package dev.freshet.cli;

import dev.freshet.observe.ApiWriteMetrics;
import dev.freshet.observe.HttpEndpoints;
import dev.freshet.operator.OperatorSettings;
import dev.freshet.operator.Wiring;
import dev.freshet.poll.RegistryResolution;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** `freshet operator`: runs the operator until the process is stopped. */
@Command(
    name = "operator",
    mixinStandardHelpOptions = true,
    description = "Runs the Freshet operator, in the cluster or against a kubeconfig.")
public class OperatorCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(OperatorCommand.class);
  private static final String SERVICE_ACCOUNT_NAMESPACE =
      "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

  @Option(
      names = "--kubeconfig",
      description = "Kubeconfig to use; without it the in-cluster service account is used.")
  File kubeconfig;

  @Option(
      names = {"-n", "--namespace"},
      description = "Namespace whose Apps to reconcile; repeat for several. Default: all.")
  List<String> namespaces = new ArrayList<>();

  @Option(
      names = "--resync",
      defaultValue = OperatorSettings.DEFAULT_RESYNC_TEXT,
      converter = DurationConverter.class,
      description =
          "Reconcile every App at least this often (e.g. 30s, 10m, 1h). Default: ${DEFAULT-VALUE}.")
  Duration resync;

  @Option(
      names = "--leader-election",
      negatable = true,
      description =
          "Elect a leader through a Lease before reconciling. Default: on in a cluster, off with"
              + " --kubeconfig.")
  Boolean leaderElection;

  @Option(
      names = "--lease-namespace",
      description =
          "Namespace of the leader-election Lease. Default: the pod's namespace, or the"
              + " kubeconfig's.")
  String leaseNamespace;

  @Option(
      names = "--lease-name",
      defaultValue = OperatorSettings.LeaderElection.DEFAULT_LEASE_NAME,
      description = "Name of the leader-election Lease. Default: ${DEFAULT-VALUE}.")
  String leaseName;

  @Option(
      names = "--lease-duration",
      defaultValue = OperatorSettings.LeaderElection.DEFAULT_LEASE_DURATION,
      converter = DurationConverter.class,
      description =
          "How long a Lease holds without renewal; a dead leader is replaced after at most this."
              + " Default: ${DEFAULT-VALUE}.")
  Duration leaseDuration;

  @Option(
      names = "--lease-renew-deadline",
      defaultValue = OperatorSettings.LeaderElection.DEFAULT_RENEW_DEADLINE,
      converter = DurationConverter.class,
      description =
          "How long the leader keeps trying to renew before it gives up (and exits)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration renewDeadline;

  @Option(
      names = "--lease-retry-period",
      defaultValue = OperatorSettings.LeaderElection.DEFAULT_RETRY_PERIOD,
      converter = DurationConverter.class,
      description = "How often candidates try to acquire or renew. Default: ${DEFAULT-VALUE}.")
  Duration retryPeriod;

  @Option(
      names = "--http-port",
      defaultValue = OperatorSettings.DEFAULT_HTTP_PORT,
      description =
          "Port of /healthz, /readyz and /metrics; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--http-address",
      defaultValue = OperatorSettings.DEFAULT_HTTP_ADDRESS,
      description = "Address the HTTP endpoints bind to. Default: ${DEFAULT-VALUE}.")
  String httpAddress;

  @Option(
      names = "--receiver-addr",
      description =
          "host:port of the webhook receivers (registry and CI notifications). Their secrets are"
              + " read from the Secret --webhook-secret in the --webhook-namespace. Default: no"
              + " receivers.")
  String receiverAddress;

  @Option(
      names = "--webhook-secret",
      defaultValue = OperatorSettings.Receivers.DEFAULT_SECRET_NAME,
      description = "Name of the Secret holding the receivers' secrets. Default: ${DEFAULT-VALUE}.")
  String webhookSecret;

  @Option(
      names = "--webhook-namespace",
      description =
          "Namespace of the --webhook-secret. Default: the first --namespace, else the pod's or"
              + " the kubeconfig's namespace.")
  String webhookNamespace;

  @Option(
      names = "--notifications",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Send notifications (Slack, Teams, signed JSON webhooks) to the targets Secret"
              + " freshet-notifications names; without the Secret nothing is sent. Default: on.")
  boolean notifications;

  @Option(
      names = "--notifications-namespace",
      description =
          "Namespace of Secret freshet-notifications. Default: the first --namespace, else the"
              + " pod's or the kubeconfig's namespace.")
  String notificationsNamespace;

  @Option(
      names = "--platform",
      defaultValue = OperatorSettings.DEFAULT_PLATFORM,
      description =
          "Platform the cluster's nodes run; a candidate tag without an image for it is skipped."
              + " Default: ${DEFAULT-VALUE}.")
  String platform;

  @Option(
      names = "--insecure-registry",
      description =
          "Registry (host:port) spoken to over plain HTTP; repeat for several. Loopback registries"
              + " always are.")
  List<String> insecureRegistries = new ArrayList<>();

  @Option(
      names = "--registry-allow",
      description =
          "Only ask these registries (host or host:port, repeatable), e.g. in an air-gapped"
              + " cluster. Default: any.")
  List<String> allowedRegistries = new ArrayList<>();

  @Option(
      names = "--registry-ca",
      description =
          "PEM file of extra certificate authorities for registries with private certificates.")
  File registryCa;

  @Option(
      names = "--track-workloads",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Follow Deployments, StatefulSets, DaemonSets and CronJobs annotated with freshet.dev/policy."
              + " Default: on.")
  boolean trackWorkloads;

  @Option(
      names = "--poll-workers",
      defaultValue = OperatorSettings.DEFAULT_POLL_WORKERS,
      description = "How many registry checks run at once. Default: ${DEFAULT-VALUE}.")
  int pollWorkers;

  @Override
  public Integer call() throws Exception {
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);

    try (KubernetesClient client = client(new ApiWriteMetrics(metrics))) {
      var settings = settings(client);
      try (var wiring = Wiring.of(settings, metrics)) {
        var operator = wiring.operator(client);
        try (var http = new HttpEndpoints(settings.http(), operator::getRuntimeInfo, metrics);
            var receivers = wiring.receivers(client);
            var notifications = wiring.notifications(client)) {
          http.start();
          log.info(
              "Freshet operator starting; namespaces={}, leaderElection={}, http port {}",
              namespaces.isEmpty() ? "all" : namespaces,
              settings.leaderElection().isPresent(),
              http.port());
          var stopped = new CountDownLatch(1);
          Runtime.getRuntime()
              .addShutdownHook(
                  new Thread(
                      () -> {
                        log.info("Stopping the Freshet operator");
                        operator.stop();
                        stopped.countDown();
                      }));
          operator.start();
          stopped.await();
        }
      }
    }
    return 0;
  }

  /** Everything the options say, with the namespaces they leave open taken from the client. */
  OperatorSettings settings(KubernetesClient client) {
    return new OperatorSettings(
        Set.copyOf(namespaces),
        resync,
        leaderElection(client),
        trackWorkloads,
        new InetSocketAddress(httpAddress, httpPort),
        Optional.ofNullable(receiverAddress)
            .map(
                address ->
                    new OperatorSettings.Receivers(
                        OperatorSettings.Receivers.parseAddress(address),
                        webhookNamespace != null
                            ? webhookNamespace
                            : !namespaces.isEmpty() ? namespaces.get(0) : ownNamespace(client),
                        webhookSecret)),
        new OperatorSettings.Registries(
            platform,
            insecureRegistries,
            allowedRegistries,
            Optional.ofNullable(registryCa).map(File::toPath)),
        pollWorkers,
        RegistryResolution.DEFAULT_CHOOSING_BUDGET,
        notifications
            ? Optional.of(
                new OperatorSettings.Notifications(
                    notificationsNamespace != null
                        ? notificationsNamespace
                        : !namespaces.isEmpty() ? namespaces.get(0) : ownNamespace(client)))
            : Optional.empty());
  }

  /** The operator's client, its writes counted by {@code writes}. */
  private KubernetesClient client(ApiWriteMetrics writes) {
    var builder =
        new KubernetesClientBuilder()
            .withHttpClientBuilderConsumer(
                http -> http.addOrReplaceInterceptor(ApiWriteMetrics.NAME, writes));
    if (kubeconfig == null) {
      return builder.build();
    }
    try {
      var config = Config.fromKubeconfig(Files.readString(kubeconfig.toPath()));
      return builder.withConfig(config).build();
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(
          "cannot read kubeconfig " + kubeconfig + ": " + e.getMessage(), e);
    }
  }

  private Optional<OperatorSettings.LeaderElection> leaderElection(KubernetesClient client) {
    boolean inCluster = kubeconfig == null && new File(SERVICE_ACCOUNT_NAMESPACE).exists();
    boolean enabled = leaderElection != null ? leaderElection : inCluster;
    if (!enabled) {
      return Optional.empty();
    }
    String namespace = leaseNamespace != null ? leaseNamespace : ownNamespace(client);
    String identity =
        Optional.ofNullable(System.getenv("POD_NAME"))
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")))
                .orElse("freshet")
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    return Optional.of(
        new OperatorSettings.LeaderElection(
            leaseName, namespace, identity, leaseDuration, renewDeadline, retryPeriod, true));
  }

  /**
   * The namespace the operator runs in: the pod's in a cluster (the client reads it), else the
   * kubeconfig's.
   */
  private static String ownNamespace(KubernetesClient client) {
    return Optional.ofNullable(client.getConfiguration().getNamespace()).orElse("default");
  }
}
