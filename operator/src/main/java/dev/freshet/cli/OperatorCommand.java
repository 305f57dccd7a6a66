package dev.freshet.cli;

import dev.freshet.observe.HttpEndpoints;
import dev.freshet.operator.FreshetOperator;
import dev.freshet.operator.OperatorSettings;
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
      defaultValue = "10m",
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
      defaultValue = "15s",
      converter = DurationConverter.class,
      description =
          "How long a Lease holds without renewal; a dead leader is replaced after at most this."
              + " Default: ${DEFAULT-VALUE}.")
  Duration leaseDuration;

  @Option(
      names = "--lease-renew-deadline",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "How long the leader keeps trying to renew before it gives up (and exits)."
              + " Default: ${DEFAULT-VALUE}.")
  Duration renewDeadline;

  @Option(
      names = "--lease-retry-period",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How often candidates try to acquire or renew. Default: ${DEFAULT-VALUE}.")
  Duration retryPeriod;

  @Option(
      names = "--http-port",
      defaultValue = "8080",
      description =
          "Port of /healthz, /readyz and /metrics; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int httpPort;

  @Option(
      names = "--http-address",
      defaultValue = "0.0.0.0",
      description = "Address the HTTP endpoints bind to. Default: ${DEFAULT-VALUE}.")
  String httpAddress;

  @Override
  public Integer call() throws Exception {
    var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(metrics);
    new JvmGcMetrics().bindTo(metrics);
    new JvmThreadMetrics().bindTo(metrics);
    new ProcessorMetrics().bindTo(metrics);

    try (KubernetesClient client = client()) {
      var settings = new OperatorSettings(Set.copyOf(namespaces), resync, leaderElection(client));
      var operator = FreshetOperator.create(client, settings, metrics);
      try (var http =
          new HttpEndpoints(
              new InetSocketAddress(httpAddress, httpPort), operator::getRuntimeInfo, metrics)) {
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
    return 0;
  }

  private KubernetesClient client() {
    if (kubeconfig == null) {
      return new KubernetesClientBuilder().build();
    }
    try {
      var config = Config.fromKubeconfig(Files.readString(kubeconfig.toPath()));
      return new KubernetesClientBuilder().withConfig(config).build();
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
    String namespace =
        Optional.ofNullable(leaseNamespace)
            .or(() -> Optional.ofNullable(client.getConfiguration().getNamespace()))
            .orElse("default");
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
}
