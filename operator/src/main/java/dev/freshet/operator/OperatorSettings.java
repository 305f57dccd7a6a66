package dev.freshet.operator;

import dev.freshet.poll.RegistryResolution;
import dev.freshet.trigger.WebhookEndpoint;
import dev.freshet.update.Intervals;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How one operator process runs: everything the command line can set, typed, with each default
 * declared here once. The {@code DEFAULT_*} strings are what the command line shows and parses; the
 * typed defaults are read from them.
 *
 * @param namespaces the namespaces whose Apps it reconciles; empty means all
 * @param resyncInterval how often an App is reconciled when nothing happens
 * @param leaderElection present when replicas must elect a leader before reconciling
 * @param trackWorkloads whether Deployments, StatefulSets, DaemonSets and CronJobs annotated with
 *     {@code freshet.dev/policy} are followed too
 * @param http where /healthz, /readyz and /metrics listen (port 0 picks a free one)
 * @param receivers the webhook receivers, if any
 * @param registries how registries are reached
 * @param pollWorkers how many registry checks run at once
 * @param choosingBudget how long choosing one image's tag may hold a poll worker
 * @param notifications where the notifications Secret is read, when notifications are on
 */
public record OperatorSettings(
    Set<String> namespaces,
    Duration resyncInterval,
    Optional<LeaderElection> leaderElection,
    boolean trackWorkloads,
    InetSocketAddress http,
    Optional<Receivers> receivers,
    Registries registries,
    int pollWorkers,
    Duration choosingBudget,
    Optional<Notifications> notifications) {

  public static final String DEFAULT_RESYNC_TEXT = "10m";
  public static final Duration DEFAULT_RESYNC = Intervals.parseDuration(DEFAULT_RESYNC_TEXT);
  public static final String DEFAULT_HTTP_ADDRESS = "0.0.0.0";
  public static final String DEFAULT_HTTP_PORT = "8080";
  public static final String DEFAULT_PLATFORM = "linux/amd64";
  public static final String DEFAULT_POLL_WORKERS = "8";

  public OperatorSettings {
    namespaces = Set.copyOf(namespaces);
    if (pollWorkers < 1) {
      throw new IllegalArgumentException("poll workers must be at least 1, not " + pollWorkers);
    }
  }

  /**
   * Apps only; tracked workloads are followed unless told otherwise; every other setting default.
   */
  public OperatorSettings(
      Set<String> namespaces, Duration resyncInterval, Optional<LeaderElection> leaderElection) {
    this(
        namespaces,
        resyncInterval,
        leaderElection,
        true,
        new InetSocketAddress(DEFAULT_HTTP_ADDRESS, Integer.parseInt(DEFAULT_HTTP_PORT)),
        Optional.empty(),
        Registries.DEFAULT,
        Integer.parseInt(DEFAULT_POLL_WORKERS),
        RegistryResolution.DEFAULT_CHOOSING_BUDGET,
        Optional.empty());
  }

  /**
   * @param exitOnStopLeading a process that lost its lease exits, so it cannot reconcile beside the
   *     new leader; tests running several operators in one JVM turn this off
   */
  public record LeaderElection(
      String leaseName,
      String leaseNamespace,
      String identity,
      Duration leaseDuration,
      Duration renewDeadline,
      Duration retryPeriod,
      boolean exitOnStopLeading) {

    public static final String DEFAULT_LEASE_NAME = "freshet-operator";
    // A killed leader is replaced within the lease plus a retry with its jitter: 10 s + 2 s × 2.2,
    // under the 15 s a platform team expects of a takeover.
    public static final String DEFAULT_LEASE_DURATION = "10s";
    public static final String DEFAULT_RENEW_DEADLINE = "7s";
    public static final String DEFAULT_RETRY_PERIOD = "2s";
  }

  /**
   * @param address where the webhook receivers listen
   * @param secretNamespace the namespace of the Secret holding their secrets
   * @param secretName that Secret's name
   */
  public record Receivers(InetSocketAddress address, String secretNamespace, String secretName) {

    public static final String DEFAULT_SECRET_NAME = WebhookEndpoint.SECRET_NAME;

    /** Receivers reading Secret {@value #DEFAULT_SECRET_NAME}. */
    public Receivers(InetSocketAddress address, String secretNamespace) {
      this(address, secretNamespace, DEFAULT_SECRET_NAME);
    }

    /** Reads {@code host:port}. */
    public static InetSocketAddress parseAddress(String hostAndPort) {
      int colon = hostAndPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "the receivers' address must be host:port, not " + hostAndPort);
      }
      return new InetSocketAddress(
          hostAndPort.substring(0, colon), Integer.parseInt(hostAndPort.substring(colon + 1)));
    }
  }

  /**
   * @param secretNamespace the namespace of Secret {@code freshet-notifications}: the targets, and
   *     the cluster's name as notifications show it
   */
  public record Notifications(String secretNamespace) {}

  /**
   * @param platform the platform the cluster's nodes run; a candidate tag without it is skipped
   * @param insecure registries (host:port) spoken to over plain HTTP; loopback ones always are
   * @param allowed the only registries asked at all; empty means any
   * @param extraCertificates a PEM file of certificate authorities for private registries
   */
  public record Registries(
      String platform,
      List<String> insecure,
      List<String> allowed,
      Optional<Path> extraCertificates) {
    public static final Registries DEFAULT =
        new Registries(DEFAULT_PLATFORM, List.of(), List.of(), Optional.empty());

    public Registries {
      insecure = List.copyOf(insecure);
      allowed = List.copyOf(allowed);
    }

    public boolean allows(String host) {
      return allowed.isEmpty() || allowed.contains(host);
    }
  }
}
